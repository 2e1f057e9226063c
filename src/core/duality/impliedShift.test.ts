import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { landscapeBatch } from '../landscape/evalBatch';
import { trainedTiny, type Trained } from '../landscape/testFixtures';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import { disposeBatch, disposeLossAndGrads, lossAndGrads } from '../train/objective';
import { samPerturbation } from '../train/sam';
import { impliedInputShift, type PixelConv } from './impliedShift';

const fill = (n: number, rng: Rng, f: (r: Rng) => number) => Float32Array.from({ length: n }, () => f(rng));

/** 3 x 3 inverse by the adjugate, float64. */
function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const adj = [
    [e * i - f * h, c * h - b * i, b * f - c * e],
    [f * g - d * i, a * i - c * g, c * d - a * f],
    [d * h - e * g, b * g - a * h, a * e - b * d],
  ];
  return adj.map((row) => row.map((v) => v / det));
}

/** ||A d - b|| for A d = conv(d / std, W), b = conv(z, E), with tfjs's own conv (not the solver's operator). */
function residualNorm(x: tf.Tensor4D, c: PixelConv, e: tf.Tensor4D, d: tf.Tensor4D): number {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(x, c.mean), c.std) as tf.Tensor4D;
    const r = tf.sub(
      tf.conv2d(tf.div(d, c.std) as tf.Tensor4D, c.weight, c.stride, c.pad),
      tf.conv2d(z, e, c.stride, c.pad),
    );
    return Math.sqrt(tf.sum(tf.square(r)).dataSync()[0]);
  });
}

/** ||A^T (A d - b)|| / ||A^T b|| per image, the gradients taken by tfjs's autodiff of tf.conv2d. */
function normalEquationResidual(x: tf.Tensor4D, c: PixelConv, e: tf.Tensor4D, d: tf.Tensor4D): number[] {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(x, c.mean), c.std) as tf.Tensor4D;
    const b = tf.conv2d(z, e, c.stride, c.pad);
    const halfSq = (v: tf.Tensor) =>
      tf.mul(0.5, tf.sum(tf.square(tf.sub(tf.conv2d(tf.div(v, c.std) as tf.Tensor4D, c.weight, c.stride, c.pad), b))));
    const grad = tf.grad(halfSq);
    const perImage = (t: tf.Tensor) => tf.sqrt(tf.sum(tf.square(t), [1, 2, 3]));
    return Array.from(tf.div(perImage(grad(d)), perImage(grad(tf.zerosLike(d)))).dataSync());
  });
}

describe('the implied input shift on an invertible first layer', () => {
  beforeAll(() => useBackend('cpu'));

  it('is d = std * (z E W^-1) per pixel for a 1x1 conv with a full-rank square W', async () => {
    const rng = new Rng(11);
    const [n, h, w] = [2, 4, 5];
    const mean = [0.4, 0.5, 0.6];
    const std = [0.2, 0.25, 0.3];
    const xs = fill(n * h * w * 3, rng.derive('x'), (r) => r.uniform());
    // W near the identity (well conditioned), E small: a SAM-sized perturbation.
    const wv = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 1 : 0) + 0.3 * rng.derive(`w${i}${j}`).normal()));
    const ev = [0, 1, 2].map((i) => [0, 1, 2].map((j) => 0.01 * rng.derive(`e${i}${j}`).normal()));
    const x = tf.tensor4d(xs, [n, h, w, 3]);
    const weight = tf.tensor4d(wv.flat(), [1, 1, 3, 3]);
    const e = tf.tensor4d(ev.flat(), [1, 1, 3, 3]);
    const c: PixelConv = { weight, stride: 1, pad: 0, mean, std };
    const shift = await impliedInputShift(x, c, e, { tolerance: 1e-6, maxIterations: 50 });
    const d = await shift.d.data();
    // Conv rows are y = z W (weights [cIn, cOut]): d / std = z E W^-1.
    const wInv = inverse3(wv);
    let maxErr = 0;
    let maxRef = 0;
    for (let p = 0; p < n * h * w; p++) {
      const z = [0, 1, 2].map((k) => (xs[3 * p + k] - mean[k]) / std[k]);
      const zE = [0, 1, 2].map((j) => z.reduce((s, zi, i) => s + zi * ev[i][j], 0));
      const ref = [0, 1, 2].map((j) => std[j] * zE.reduce((s, v, i) => s + v * wInv[i][j], 0));
      ref.forEach((v, k) => {
        maxErr = Math.max(maxErr, Math.abs(v - d[3 * p + k]));
        maxRef = Math.max(maxRef, Math.abs(v));
      });
    }
    expect(maxRef).toBeGreaterThan(1e-3);
    expect(maxErr / maxRef).toBeLessThan(1e-4);
    // An exact solution exists: nothing of E's effect is left over.
    shift.relResidual.forEach((r) => expect(r).toBeLessThan(1e-4));
    tf.dispose([x, weight, e, shift.d]);
  });
});

describe.each([
  ['cnn', { name: 'cnn' as const, width: 4, depth: 2 }],
  ['preact-resnet10', { name: 'preact-resnet10' as const, width: 4, depth: 1 }],
])('the implied input shift on the first conv of a trained %s', (_, modelSpec) => {
  let t: Trained;
  let e: tf.Tensor4D;
  let c: PixelConv;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await useBackend('cpu');
    t = await trainedTiny(modelSpec, 'image', 6);
    const model: Model = t.model;
    const conv = model.inputConv!;
    const batch = landscapeBatch(t.data.test, 16, 3);
    const g = lossAndGrads(model, batch.x, batch, 'eval');
    const all = samPerturbation(g.grads, 0.05);
    const k = model.params.findIndex((p) => p.variable === conv.weight);
    e = all[k] as tf.Tensor4D;
    tf.dispose(all.filter((_, i) => i !== k));
    disposeLossAndGrads(g);
    x = tf.slice(batch.x as tf.Tensor4D, [0, 0, 0, 0], [3, -1, -1, -1]);
    disposeBatch(batch);
    c = { weight: conv.weight as tf.Tensor4D, stride: conv.stride, pad: conv.pad, mean: conv.mean, std: conv.std };
  });
  afterAll(() => {
    tf.dispose([e, x]);
    t.trainer.dispose();
  });

  it('satisfies the normal equations ||A^T (A d - b)|| <= 1e-3 ||A^T b|| per image', async () => {
    const shift = await impliedInputShift(x, c, e);
    const normal = normalEquationResidual(x, c, e, shift.d);
    normal.forEach((r) => expect(r).toBeLessThan(1e-3));
    // Three channels cannot express all of a 3 -> 4k-channel perturbation: a residual is left, and it is reported.
    shift.relResidual.forEach((r) => expect(r).toBeGreaterThan(1e-3));
    shift.relResidual.forEach((r) => expect(r).toBeLessThan(1));
    shift.d.dispose();
  });

  it('is a minimiser: no random perturbation of d lowers the residual', async () => {
    const shift = await impliedInputShift(x, c, e);
    const base = residualNorm(x, c, e, shift.d);
    const dNorm = Math.sqrt(tf.tidy(() => tf.sum(tf.square(shift.d)).dataSync()[0]));
    const rng = new Rng(5).derive('perturb');
    for (let trial = 0; trial < 20; trial++) {
      // Sizes from 1e-3 to 1e-1 of ||d||.
      const size = dNorm * 10 ** (-3 + (2 * trial) / 19);
      const p = tf.tidy(() => {
        const u = tf.tensor(
          fill(x.size, rng, (r) => r.normal()),
          x.shape,
        );
        return tf.mul(u, size / Math.sqrt(tf.sum(tf.square(u)).dataSync()[0])) as tf.Tensor4D;
      });
      const moved = tf.add(shift.d, p) as tf.Tensor4D;
      expect(residualNorm(x, c, e, moved)).toBeGreaterThanOrEqual(base * (1 - 1e-6));
      tf.dispose([p, moved]);
    }
    shift.d.dispose();
  });

  it('is d = 0 for E = 0, and leaks no tensor', async () => {
    const zero = tf.zerosLike(e);
    const before = tf.memory().numTensors;
    const shift = await impliedInputShift(x, c, zero);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(await shift.d.data()).every((v) => v === 0)).toBe(true);
    expect(shift.relResidual).toEqual([0, 0, 0]);
    tf.dispose([zero, shift.d]);
  });
});
