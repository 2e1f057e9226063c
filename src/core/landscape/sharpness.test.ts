import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { DEFAULT_POWER_ITERATION, topHessianEigenvalue, topOfTridiagonal } from './hessian';
import { evalGradient, samSharpness, sharpness } from './sharpness';
import { disposeTrainedOnBatch, stateBytes, trainedOnBatch, type TrainedOnBatch } from './testFixtures';

/** A symmetric 6 x 6 matrix Q diag(eigs) Q^T with a seeded random orthogonal Q (Gram-Schmidt). */
function symmetricWithEigenvalues(eigs: number[], seed: number): number[][] {
  const n = eigs.length;
  const rng = new Rng(seed);
  const q: number[][] = [];
  while (q.length < n) {
    const v = Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      const dot = v.reduce((s, x, i) => s + x * u[i], 0);
      v.forEach((_, i) => (v[i] -= dot * u[i]));
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => q.reduce((s, u, k) => s + eigs[k] * u[i] * u[j], 0)),
  );
}

describe('Lanczos on a known quadratic', () => {
  beforeAll(() => useBackend('cpu'));

  it('finds the top eigenvalue of L(w) = 1/2 w^T A w (split over two variables) within tolerance, and restores w', async () => {
    const eigs = [4, 2.5, 1, 0.5, -0.3, 0.1];
    const a = tf.tensor2d(symmetricWithEigenvalues(eigs, 3));
    const w1 = tf.variable(tf.tensor1d([0.3, -1, 2, 0.5]));
    const w2 = tf.variable(tf.tensor2d([[1.5], [-0.7]]));
    const before = [...(await w1.data()), ...(await w2.data())];
    // grad = A w, for w = [w1; w2] flattened.
    const gradient = () =>
      tf.tidy(() => {
        const g = tf.matMul(a, tf.concat([w1, tf.reshape(w2, [2])]).reshape([6, 1])).reshape([6]);
        return [g.slice(0, 4), g.slice(4, 2).reshape([2, 1])];
      });
    const n = tf.memory().numTensors;
    const r = await topHessianEigenvalue([w1, w2], gradient, {
      maxIterations: 60,
      tolerance: 1e-6,
      relStep: 1e-3,
      seed: 1,
    });
    expect(tf.memory().numTensors).toBe(n);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(60);
    expect(r.relChange).toBeLessThan(1e-6);
    expect(Math.abs(r.eigenvalue - 4)).toBeLessThan(1e-3);
    // The residual bounds the distance to an eigenvalue of A, up to the float32 finite differences' rounding.
    expect(Math.abs(r.eigenvalue - 4)).toBeLessThanOrEqual(r.residual + 1e-4);
    expect(r.gradEvals).toBe(2 * r.iterations);
    expect([...(await w1.data()), ...(await w2.data())]).toEqual(before);
    tf.dispose([a, w1, w2]);
  });

  it('converges within 20 iterations where power iteration cannot: 200 eigenvalues, top two 10 and 9.9', async () => {
    // Power iteration's error shrinks as (9.9 / 10)^k: after 20 steps it is still ~0.8 of the start's.
    const n = 200;
    const eigs = Float32Array.from({ length: n }, (_, i) => (i === 0 ? 10 : i === 1 ? 9.9 : (9 * i) / n - 2));
    const diag = tf.tensor1d(eigs);
    const w = tf.variable(tf.randomNormal([n], 0, 1, 'float32', 3));
    const r = await topHessianEigenvalue([w], () => [tf.mul(diag, w)], {
      maxIterations: 20,
      tolerance: 1e-6,
      relStep: 1e-3,
      seed: 2,
    });
    expect(r.iterations).toBeLessThanOrEqual(20);
    expect(Math.abs(r.eigenvalue - 10)).toBeLessThan(0.02);
    expect(Math.abs(r.eigenvalue - 10)).toBeLessThanOrEqual(r.residual + 1e-3);
    tf.dispose([diag, w]);
  });

  it('reads the top eigenvalue of a tridiagonal matrix', () => {
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, top eigenvector (1, 1) / sqrt 2.
    const { value, last } = topOfTridiagonal([2, 2], [1]);
    expect(value).toBeCloseTo(3, 12);
    expect(Math.abs(last)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('refuses a zero iteration cap or tolerance', async () => {
    const w = tf.variable(tf.zeros([2]));
    await expect(
      topHessianEigenvalue([w], () => [tf.zeros([2])], { ...DEFAULT_POWER_ITERATION, maxIterations: 0, seed: 1 }),
    ).rejects.toThrow(/maxIterations/);
    await expect(
      topHessianEigenvalue([w], () => [tf.zeros([2])], { ...DEFAULT_POWER_ITERATION, tolerance: 0, seed: 1 }),
    ).rejects.toThrow(/tolerance/);
    w.dispose();
  });
});

describe('sharpness of a trained tiny net', () => {
  let t: TrainedOnBatch;
  beforeAll(async () => {
    t = await trainedOnBatch({ name: 'mlp', width: 8, depth: 1 }, 'vector', 20, 32);
  });
  afterAll(() => disposeTrainedOnBatch(t));

  it('SAM sharpness is 0 at rho 0, about rho ||g|| for small rho, positive at rho 0.05', async () => {
    expect((await samSharpness(t.model, t.batch, 0)).sharpness).toBe(0);
    // First order: L(w + rho g/||g||) - L(w) = rho ||g|| + O(rho^2).
    const small = await samSharpness(t.model, t.batch, 1e-3);
    expect(small.sharpness / (1e-3 * small.gradNorm)).toBeGreaterThan(0.95);
    expect(small.sharpness / (1e-3 * small.gradNorm)).toBeLessThan(1.05);
    expect((await samSharpness(t.model, t.batch, 0.05)).sharpness).toBeGreaterThan(0);
    await expect(samSharpness(t.model, t.batch, -1)).rejects.toThrow(/rho/);
  });

  it('top Hessian eigenvalue is positive and agrees across two start seeds (within 0.5%), state bit-identical, no leak', async () => {
    const before = await stateBytes(t.model);
    const power = { maxIterations: 60, tolerance: 1e-4, relStep: 1e-3 };
    const n = tf.memory().numTensors;
    const vars = t.model.params.map((p) => p.variable);
    const a = await topHessianEigenvalue(vars, evalGradient(t.model, t.batch), { ...power, seed: 1 });
    const b = await topHessianEigenvalue(vars, evalGradient(t.model, t.batch), { ...power, seed: 2 });
    expect(tf.memory().numTensors).toBe(n);
    expect(a.converged && b.converged).toBe(true);
    expect(a.eigenvalue).toBeGreaterThan(0);
    expect(Math.abs(a.eigenvalue - b.eigenvalue) / a.eigenvalue).toBeLessThan(0.005);
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it('the sharpness result reports both numbers with its costs', async () => {
    const r = await sharpness(t.model, t.batch, 0.05, { maxIterations: 8, tolerance: 1e-3, relStep: 1e-3, seed: 1 });
    expect(r.kind).toBe('sharpness');
    expect(r.samSharpness).toBeGreaterThan(0);
    expect(r.hessianTop).toBeGreaterThan(0);
    expect(r.iterations).toBeLessThanOrEqual(8);
    expect(r.converged).toBe(r.relChange < 1e-3);
    expect(r.gradEvals).toBe(1 + 2 * r.iterations);
    expect(r.estimate).toEqual({ evals: 1, gradEvals: 17 });
  });
});
