import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { dualityCheck, inputPerturbationForWeightPerturbation, samStepDuality } from './duality';
import { linearToy } from './linearToy';
import { mlpToy } from './mlpToy';

const randn = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());
const matVec = (M: Float64Array, v: Float64Array) => {
  const rows = M.length / v.length;
  return Float64Array.from({ length: rows }, (_, r) => v.reduce((s, x, c) => s + M[r * v.length + c] * x, 0));
};

describe('weight / input perturbation duality', () => {
  it('(W + E) x + b + e_b = W (x + d) + b for a first layer narrower than its input', () => {
    const rng = new Rng(7);
    const [rows, cols] = [3, 5];
    const W = randn(rng, rows * cols);
    const E = randn(rng, rows * cols).map((v) => 0.1 * v);
    const x = randn(rng, cols);
    const b = randn(rng, rows);
    const eb = randn(rng, rows).map((v) => 0.1 * v);
    const check = dualityCheck(W, E, b, eb, x);
    expect(check.maxAbsError).toBeLessThan(1e-12);
    const want = matVec(E, x).map((v, r) => v + eb[r]);
    const got = matVec(W, check.d);
    got.forEach((v, r) => expect(v).toBeCloseTo(want[r], 12));
  });

  it('is the minimum-norm solution: d lies in the row space of W', () => {
    const rng = new Rng(8);
    const W = randn(rng, 2 * 4);
    const d = inputPerturbationForWeightPerturbation(W, randn(rng, 8), randn(rng, 4));
    // Any other solution is d + n with W n = 0; d is orthogonal to that null space. Build a null vector
    // by removing the row-space part of a random vector and check d . n = 0.
    const v = randn(rng, 4);
    const coef = inputPerturbationForWeightPerturbation(W, W, v); // projection of v onto the row space
    const nullVec = v.map((vi, j) => vi - coef[j]);
    expect(Math.abs(matVec(W, nullVec).reduce((s, t) => s + t * t, 0))).toBeLessThan(1e-20);
    expect(Math.abs(d.reduce((s, di, j) => s + di * nullVec[j], 0))).toBeLessThan(1e-12);
  });

  it('for one output row is d = (e . x / ||w||^2) w', () => {
    const rng = new Rng(9);
    const w = randn(rng, 6);
    const e = randn(rng, 6);
    const x = randn(rng, 6);
    const d = inputPerturbationForWeightPerturbation(w, e, x);
    const ex = e.reduce((s, v, j) => s + v * x[j], 0);
    const ww = w.reduce((s, v) => s + v * v, 0);
    d.forEach((v, j) => expect(v).toBeCloseTo((ex / ww) * w[j], 12));
  });

  it('gives the least-squares d when the layer is wider than its input (no exact solution in general)', () => {
    const rng = new Rng(10);
    const [rows, cols] = [6, 3];
    const W = randn(rng, rows * cols);
    const E = randn(rng, rows * cols);
    const x = randn(rng, cols);
    const d = inputPerturbationForWeightPerturbation(W, E, x);
    const r = matVec(W, d).map((v, i) => v - matVec(E, x)[i]);
    // Normal equations: W^T (W d - E x) = 0.
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let k = 0; k < rows; k++) s += W[k * cols + c] * r[k];
      expect(Math.abs(s)).toBeLessThan(1e-10);
    }
    expect(dualityCheck(W, E, new Float64Array(rows), new Float64Array(rows), x).maxAbsError).toBeGreaterThan(1e-3);
  });

  it('rejects mismatched shapes', () => {
    expect(() =>
      inputPerturbationForWeightPerturbation(new Float64Array(6), new Float64Array(5), new Float64Array(3)),
    ).toThrow(/rows x 3/);
    expect(() =>
      inputPerturbationForWeightPerturbation(new Float64Array(7), new Float64Array(7), new Float64Array(3)),
    ).toThrow(/rows x 3/);
    expect(() =>
      inputPerturbationForWeightPerturbation(
        new Float64Array(6),
        new Float64Array(6),
        new Float64Array(3),
        new Float64Array(3),
      ),
    ).toThrow(/biasShift/);
  });

  it("reads a SAM step of the linear model and of the MLP's first layer as an input perturbation, exactly", () => {
    const rng = new Rng(11);
    const [n, dim] = [20, 6];
    const x = randn(rng, n * dim);
    const y = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1));
    for (const model of [linearToy(dim), mlpToy(dim, 4)]) {
      const params = model.kind === 'linear' ? randn(rng, model.paramCount) : model.init(rng.derive('init'));
      const s = samStepDuality(model, params, x, y, n, 0.5, 3);
      expect(s.maxAbsError).toBeLessThan(1e-12);
      // e_w has norm rho over all parameters, so its first-layer slice is at most rho.
      const eNorm = Math.hypot(...s.E, ...s.eb);
      expect(eNorm).toBeLessThanOrEqual(0.5 + 1e-12);
      expect(eNorm).toBeGreaterThan(0);
      expect(s.dNorm2).toBeGreaterThan(0);
    }
  });
});
