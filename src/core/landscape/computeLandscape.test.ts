import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { LandscapeCancelled } from './cancel';
import { computeLandscape, estimateLandscapeCost, sharpnessRho, type LandscapeRequest } from './computeLandscape';
import type { LandscapeKind, LandscapeResult } from './results';
import { stateBytes, trainedTiny, type Trained } from './testFixtures';

describe('computeLandscape', () => {
  let t: Trained;
  const all: LandscapeKind[] = ['weight-1d', 'weight-2d', 'input-1d', 'input-2d', 'sharpness'];
  const request: LandscapeRequest = { kinds: all, power: { maxIterations: 4 } };
  beforeAll(async () => {
    await useBackend('cpu');
    t = await trainedTiny({ name: 'mlp', width: 8, depth: 1 }, 'image', 12);
  });
  afterAll(() => t.trainer.dispose());

  it('computes every kind in order, streams partials, matches its estimate, and leaves the model exactly as it was', async () => {
    const before = await stateBytes(t.model);
    const kinds: string[] = [];
    const results = await computeLandscape(t.model, t.data, t.spec, request, (p) => kinds.push(p.kind));
    expect(results.map((r) => r.kind)).toEqual(all);
    // points1d = 5 points, points2d = 3 rows, one sharpness.
    expect(kinds).toEqual([
      ...Array(5).fill('weight-1d'),
      ...Array(3).fill('weight-2d'),
      ...Array(5).fill('input-1d'),
      ...Array(3).fill('input-2d'),
      'sharpness',
    ]);
    const [w1, w2, i1, i2, s] = results as [
      Extract<LandscapeResult, { kind: 'weight-1d' }>,
      Extract<LandscapeResult, { kind: 'weight-2d' }>,
      Extract<LandscapeResult, { kind: 'input-1d' }>,
      Extract<LandscapeResult, { kind: 'input-2d' }>,
      Extract<LandscapeResult, { kind: 'sharpness' }>,
    ];
    // Every slice's centre is the loss at the current weights and clean inputs on the same fixed batch.
    expect(w2.loss[1][1]).toBe(w1.loss[2]);
    expect(i1.lossAdv[0]).toBe(w1.loss[2]);
    expect(i2.loss[1][1]).toBe(w1.loss[2]);
    expect(s.loss).toBeCloseTo(w1.loss[2], 6);
    expect(w1.batchSize).toBe(32);
    for (const r of [w1, w2, i1, i2]) expect({ evals: r.evals, gradEvals: r.gradEvals }).toEqual(r.estimate);
    expect(s.gradEvals).toBeLessThanOrEqual(s.estimate.gradEvals);
    expect(s.rho).toBe(0.05);
    const total = estimateLandscapeCost(t.spec, request);
    expect(total.evals).toBe(results.reduce((n, r) => n + r.estimate.evals, 0));
    expect(total).toEqual({ evals: 5 + 9 + 10 + 9 + 1, gradEvals: 2 * t.spec.eval.pgdSteps + 1 + 2 * 4 });
    // Plain data the worker can post as it is (structured clone), every number finite (so JSON keeps it too).
    expect(structuredClone(results)).toEqual(results);
    const numbers = JSON.stringify(results, (_, v) =>
      typeof v === 'number' && !Number.isFinite(v) ? 'not finite' : v,
    );
    expect(numbers).not.toContain('not finite');
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it('gives the same numbers on a second call, and leaks no tensors', async () => {
    const first = await computeLandscape(t.model, t.data, t.spec, { kinds: ['weight-1d', 'input-1d'] });
    const n = tf.memory().numTensors;
    const second = await computeLandscape(t.model, t.data, t.spec, { kinds: ['weight-1d', 'input-1d'] });
    expect(tf.memory().numTensors).toBe(n);
    expect(second.map((r) => ({ ...r, ms: 0 }))).toEqual(first.map((r) => ({ ...r, ms: 0 })));
  });

  it('stops on an aborted signal with the model restored and nothing leaked', async () => {
    const before = await stateBytes(t.model);
    const n = tf.memory().numTensors;
    const abort = new AbortController();
    const run = computeLandscape(
      t.model,
      t.data,
      t.spec,
      { kinds: ['weight-2d', 'sharpness'] },
      () => abort.abort(),
      abort.signal,
    );
    await expect(run).rejects.toBeInstanceOf(LandscapeCancelled);
    expect(tf.memory().numTensors).toBe(n);
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it("measures a SAM run's sharpness at its own rho", () => {
    expect(sharpnessRho({ id: 's', method: 'sam', rho: 0.2 })).toBe(0.2);
    expect(sharpnessRho({ id: 'a', method: 'sgd' })).toBe(0.05);
  });
});
