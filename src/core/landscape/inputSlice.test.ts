import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { pgd } from '../train/attack';
import { crossEntropy, disposeBatch, type DeviceBatch } from '../train/objective';
import { batchScores, GRAD_CHUNK, landscapeBatch } from './evalBatch';
import { inputDirections, inputSlice1d, inputSlice2d, type InputSliceOptions } from './inputSlice';
import { stateBytes, trainedTiny, type Trained } from './testFixtures';

describe('input-space slices', () => {
  let t: Trained;
  let batch: DeviceBatch;
  let clean: Float32Array;
  const opts = (over: Partial<InputSliceOptions> = {}): InputSliceOptions => ({
    eps: 0.1,
    points: 5,
    adversary: 'pgd',
    pgdSteps: 3,
    bounded: true,
    seed: t.spec.seed,
    ...over,
  });
  beforeAll(async () => {
    await useBackend('cpu');
    // Briefly trained on pixel blobs (bounded inputs).
    t = await trainedTiny({ name: 'mlp', width: 8, depth: 1 }, 'image', 12);
    batch = landscapeBatch(t.data.test, 24, t.spec.seed);
    const s = batchScores(t.model, batch);
    clean = (await s.data()) as Float32Array;
    s.dispose();
  });
  afterAll(() => {
    disposeBatch(batch);
    t.trainer.dispose();
  });

  it('directions have L-inf norm 1 per example; the random one is a sign vector', async () => {
    for (const adversary of ['pgd', 'gradient-sign'] as const) {
      const d = inputDirections(t.model, batch, opts({ adversary }));
      const perExampleMax = (await tf.tidy(() => tf.max(tf.abs(d.adv), [1, 2, 3])).data()) as Float32Array;
      perExampleMax.forEach((m) => expect(m).toBeCloseTo(1, 6));
      expect(new Set(await d.rand.data())).toEqual(new Set([-1, 1]));
      expect(d.gradEvals).toBe(adversary === 'pgd' ? 3 : 1);
      tf.dispose([d.adv, d.rand]);
    }
  });

  it("directions over more rows than a gradient chunk are the whole batch's, computed in one pass", async () => {
    const big = landscapeBatch(t.data.test, 48, t.spec.seed);
    expect(big.labels.shape[0]).toBeGreaterThan(GRAD_CHUNK);
    try {
      const o = opts();
      const chunked = inputDirections(t.model, big, o);
      // The reference: one PGD over all 48 rows from the same stream, scaled per example like inputDirections.
      const xAdv = pgd(t.model, big.x, big.oneHot, {
        norm: 'linf',
        eps: o.eps,
        stepSize: o.eps / 4,
        steps: o.pgdSteps,
        bounded: true,
        mode: 'eval',
        rng: new Rng(o.seed).derive('landscape-input-pgd'),
      });
      const whole = tf.tidy(() => {
        const delta = tf.sub(xAdv, big.x);
        return tf.div(delta, tf.maximum(tf.max(tf.abs(delta), [1, 2, 3], true), 1e-12));
      });
      const [a, b] = [(await chunked.adv.data()) as Float32Array, (await whole.data()) as Float32Array];
      let worst = 0;
      a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]))));
      expect(worst).toBeLessThan(1e-5);
      const signs = inputDirections(t.model, big, opts({ adversary: 'gradient-sign' }));
      const ref = tf.tidy(() =>
        tf.sign(tf.grad((xi: tf.Tensor) => crossEntropy(t.model.forward(xi, 'eval'), big.oneHot))(big.x)),
      );
      expect(Array.from(await signs.adv.data())).toEqual(Array.from(await ref.data()));
      tf.dispose([chunked.adv, chunked.rand, xAdv, whole, signs.adv, signs.rand, ref]);
    } finally {
      disposeBatch(big);
    }
  });

  it.each(['pgd', 'gradient-sign'] as const)(
    '1-D (%s): starts at the clean loss; the adversarial direction raises the loss faster than the random one',
    async (adversary) => {
      const before = await stateBytes(t.model);
      const r = await inputSlice1d(t.model, batch, opts({ adversary }));
      expect(r.ts[0]).toBe(0);
      expect(r.ts[4]).toBeCloseTo(0.1, 12);
      expect(r.lossAdv[0]).toBe(clean[0]);
      expect(r.lossRand[0]).toBe(clean[0]);
      for (let i = 1; i < r.ts.length; i++) {
        expect(r.lossAdv[i]).toBeGreaterThan(r.lossRand[i]);
        expect(r.lossAdv[i]).toBeGreaterThan(r.lossAdv[i - 1]);
      }
      expect(r.lossAdv[4] - r.lossAdv[0]).toBeGreaterThan(2 * Math.abs(r.lossRand[4] - r.lossRand[0]));
      expect(r.evals).toBe(10);
      expect(r.estimate).toEqual({ evals: 10, gradEvals: adversary === 'pgd' ? 3 : 1 });
      expect(await stateBytes(t.model)).toEqual(before);
    },
  );

  it('2-D: centre is the clean loss, rows stream, no tensors left behind', async () => {
    await inputSlice2d(t.model, batch, opts({ points: 3 }));
    const n = tf.memory().numTensors;
    const rows: number[] = [];
    const r = await inputSlice2d(t.model, batch, opts({ points: 5 }), { onPartial: (p) => rows.push(p.loss.length) });
    expect(rows).toEqual([1, 2, 3, 4, 5]);
    expect(r.alphas[2]).toBe(0);
    expect(r.loss[2][2]).toBe(clean[0]);
    expect(r.acc[2][2]).toBe(clean[1]);
    // Along the adversarial axis (beta = 0) the loss climbs from the centre towards +eps.
    expect(r.loss[4][2]).toBeGreaterThan(r.loss[2][2]);
    expect(tf.memory().numTensors).toBe(n);
  });
});
