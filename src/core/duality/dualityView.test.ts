import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { computeLandscape } from '../landscape/computeLandscape';
import { landscapeBatch } from '../landscape/evalBatch';
import { readLandscapeResult } from '../landscape/readResult';
import type { DualityResult } from '../landscape/results';
import { stateBytes, trainedTiny, type Trained } from '../landscape/testFixtures';
import { disposeBatch, type DeviceBatch } from '../train/objective';
import { dualityAttack, dualityView, type DualityOptions } from './dualityView';

describe('the duality view of a trained CNN', () => {
  let t: Trained;
  let batch: DeviceBatch;
  const options = (rho: number): DualityOptions => ({
    rho,
    attack: { norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 3 },
    images: 3,
    bounded: true,
    seed: 9,
  });
  beforeAll(async () => {
    await useBackend('cpu');
    t = await trainedTiny({ name: 'cnn', width: 4, depth: 2 }, 'image', 6);
    batch = landscapeBatch(t.data.test, 16, 3);
  });
  afterAll(() => {
    disposeBatch(batch);
    t.trainer.dispose();
  });

  it('gives d = 0 at rho = 0, beside a PGD delta inside its budget', async () => {
    const r = await dualityView(t.model, batch, options(0));
    expect(r.d.every((v) => v === 0)).toBe(true);
    expect(r.images.map((i) => i.dL2)).toEqual([0, 0, 0]);
    expect(r.images.every((i) => i.cos === 0)).toBe(true);
    expect(Math.max(...r.delta.map(Math.abs))).toBeLessThanOrEqual(4 / 255 + 1e-6);
    expect(Math.max(...r.delta.map(Math.abs))).toBeGreaterThan(0);
  });

  it('shows one image per class, with norms and cosines that agree with its arrays, and reads back through the schema', async () => {
    const r = await dualityView(t.model, batch, options(0.05));
    expect(new Set(r.images.map((i) => i.label)).size).toBe(3);
    expect(r.shape).toEqual([8, 8, 3]);
    expect(r.d.length).toBe(3 * 8 * 8 * 3);
    const per = 8 * 8 * 3;
    r.images.forEach((im, k) => {
      const d = r.d.slice(k * per, (k + 1) * per);
      const p = r.delta.slice(k * per, (k + 1) * per);
      const dot = d.reduce((s, v, j) => s + v * p[j], 0);
      expect(im.dL2).toBeCloseTo(255 * Math.hypot(...d), 3);
      expect(im.cos).toBeCloseTo(dot / (Math.hypot(...d) * Math.hypot(...p)), 5);
      expect(im.dL2).toBeGreaterThan(0);
      expect(im.relResidual).toBeGreaterThan(0);
      expect(im.relResidual).toBeLessThan(1);
      expect(im.normalResidual).toBeLessThan(1e-3);
    });
    expect(r.firstShare).toBeGreaterThan(0);
    expect(r.firstShare).toBeLessThanOrEqual(1);
    // As a saved run holds it (IndexedDB's structured clone keeps the typed arrays).
    const read = readLandscapeResult(structuredClone(r), 'r');
    expect(read.ok).toBe(true);
    const bad = readLandscapeResult({ ...r, d: r.d.slice(1) }, 'r');
    expect(bad.ok ? '' : bad.issues[0].message).toMatch(/^must hold 576 values/);
  });

  it('d grows linearly with rho (E = rho g / ||g|| and the solve is linear in E)', async () => {
    const [a, b] = [await dualityView(t.model, batch, options(0.02)), await dualityView(t.model, batch, options(0.04))];
    a.images.forEach((im, k) => expect(b.images[k].dL2 / im.dL2).toBeCloseTo(2, 2));
  });

  it('leaves the weights bit-exact and leaks no tensor', async () => {
    const before = await stateBytes(t.model);
    const n = tf.memory().numTensors;
    await dualityView(t.model, batch, options(0.05));
    expect(tf.memory().numTensors).toBe(n);
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it("is a landscape kind: the AT run is attacked with its own PGD, the others with the evaluation's", async () => {
    const spec = {
      ...t.spec,
      runs: [
        ...t.spec.runs,
        { id: 'at', method: 'at' as const, norm: 'linf' as const, eps: 2 / 255, stepSize: 0.5 / 255, steps: 2 },
      ],
    };
    expect(dualityAttack(spec, spec.runs[1])).toEqual({ norm: 'linf', eps: 2 / 255, stepSize: 0.5 / 255, steps: 2 });
    expect(dualityAttack(spec, spec.runs[0])).toMatchObject({ norm: 'linf', eps: 0.05, steps: 3 });
    // An evaluation without attacks (the lesson's first step): the input slices' budget.
    expect(dualityAttack({ ...spec, eval: { ...spec.eval, attacks: [] } }, spec.runs[0])).toMatchObject({
      norm: 'linf',
      eps: spec.landscape.inputEps,
    });
    const [r] = (await computeLandscape(
      t.model,
      t.data,
      spec,
      { kinds: ['duality'] },
      undefined,
      undefined,
      spec.runs[1],
    )) as DualityResult[];
    expect(r.kind).toBe('duality');
    expect(r.attack.steps).toBe(2);
    expect(r.rho).toBe(0.05); // no SAM run in the spec: the default radius
  });
});

describe('the duality view of a model without a first conv', () => {
  it('says so', async () => {
    await useBackend('cpu');
    const t = await trainedTiny({ name: 'mlp', width: 8, depth: 1 }, 'vector', 1);
    const batch = landscapeBatch(t.data.test, 8, 3);
    try {
      await expect(
        dualityView(t.model, batch, {
          rho: 0.05,
          attack: { norm: 'l2', eps: 0.1, stepSize: 0.05, steps: 1 },
          images: 2,
          bounded: false,
          seed: 1,
        }),
      ).rejects.toThrow(/first layer is a convolution/);
    } finally {
      disposeBatch(batch);
      t.trainer.dispose();
    }
  });
});
