import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { linearToy } from './linearToy';
import { linfAttack } from './linfAttack';
import { mlpToy } from './mlpToy';
import { robustAccuracy } from './toyMetrics';
import type { ToyModel } from './toyModel';

const randn = (rng: Rng, n: number, s = 1) => Float64Array.from({ length: n }, () => rng.normal() * s);

function batch(seed: number, n: number, d: number) {
  const rng = new Rng(seed);
  return { x: randn(rng, n * d), y: Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1)) };
}

const models = (d: number): [string, ToyModel, Float64Array][] => {
  const rng = new Rng(3);
  const lin = linearToy(d);
  const mlp = mlpToy(d, 5);
  return [
    ['linear', lin, randn(rng, lin.paramCount, 0.5)],
    ['mlp', mlp, mlp.init(rng.derive('init'))],
  ];
};

describe('toy models', () => {
  const d = 4;
  const n = 12;
  const { x, y } = batch(1, n, d);

  for (const [name, model, params] of models(d)) {
    it(`${name}: the loss gradient matches central finite differences`, () => {
      const grad = new Float64Array(model.paramCount);
      model.lossAndGrad(params, x, y, n, grad);
      const scratch = new Float64Array(model.paramCount);
      const h = 1e-6;
      for (let i = 0; i < model.paramCount; i++) {
        const p = Float64Array.from(params);
        p[i] += h;
        const up = model.lossAndGrad(p, x, y, n, scratch);
        p[i] -= 2 * h;
        const down = model.lossAndGrad(p, x, y, n, scratch);
        expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 6);
      }
    });

    it(`${name}: the input gradient matches finite differences of the logits`, () => {
      const g = new Float64Array(n * d);
      model.inputGrad(params, x, n, g);
      const h = 1e-6;
      for (let t = 0; t < n * d; t++) {
        const xp = Float64Array.from(x);
        xp[t] += h;
        const up = model.logits(params, xp, n)[Math.floor(t / d)];
        xp[t] -= 2 * h;
        const down = model.logits(params, xp, n)[Math.floor(t / d)];
        expect(g[t]).toBeCloseTo((up - down) / (2 * h), 5);
      }
    });

    it(`${name}: the L-inf attack stays in the eps ball and raises the loss`, () => {
      const eps = 0.2;
      const adv = linfAttack(model, params, x, y, n, eps, 5);
      for (let t = 0; t < n * d; t++) expect(Math.abs(adv[t] - x[t])).toBeLessThanOrEqual(eps + 1e-12);
      const scratch = new Float64Array(model.paramCount);
      expect(model.lossAndGrad(params, adv, y, n, scratch)).toBeGreaterThan(
        model.lossAndGrad(params, x, y, n, scratch),
      );
    });
  }

  it('linear: the attack is the closed-form worst case x - eps y sign(w), margin y f(x) - eps ||w||_1', () => {
    const model = linearToy(d);
    const params = Float64Array.from([0.5, -1, 2, 0.25, 0.1]);
    const eps = 0.3;
    const adv = linfAttack(model, params, x, y, n, eps, 10);
    const clean = model.logits(params, x, n);
    const attacked = model.logits(params, adv, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++)
        expect(adv[i * d + j]).toBeCloseTo(x[i * d + j] - eps * y[i] * Math.sign(params[j]), 12);
      expect(y[i] * attacked[i]).toBeCloseTo(y[i] * clean[i] - eps * 3.75, 12);
    }
    const data = { x, y, n, d, robustDims: 2 };
    const right = Array.from(attacked).filter((f, i) => y[i] * f > 0).length / n;
    expect(robustAccuracy(model, params, data, eps, 1)).toBe(right);
  });
});
