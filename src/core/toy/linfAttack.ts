// The L-inf adversary of the toy: maximise the logistic loss over ||delta||_inf <= eps.
// The loss rises as y f(x) falls, so the ascent direction is sign(-y df/dx) (FGSM, Goodfellow et al. 2015).
// For the linear model df/dx = w everywhere, so one full step from x IS the exact worst case
// x_adv = x - eps y sign(w); for the MLP, PGD takes `steps` steps of 2.5 eps / steps (Madry et al. 2018),
// starting at x (deterministic, so the comparison stays seeded with no extra draws).
import type { ToyModel } from './toyModel';

export function linfAttack(
  model: ToyModel,
  params: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number,
  eps: number,
  steps: number,
): Float64Array {
  const d = model.inputDim;
  const adv = Float64Array.from(x.subarray(0, n * d));
  if (eps === 0) return adv;
  const k = model.kind === 'linear' ? 1 : Math.max(1, steps);
  const alpha = k === 1 ? eps : (2.5 * eps) / k;
  const g = new Float64Array(n * d);
  for (let s = 0; s < k; s++) {
    model.inputGrad(params, adv, n, g);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const t = i * d + j;
        const step = -y[i] * Math.sign(g[t]) * alpha;
        adv[t] = Math.min(x[t] + eps, Math.max(x[t] - eps, adv[t] + step));
      }
    }
  }
  return adv;
}
