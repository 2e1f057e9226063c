// The linear classifier f(x) = w . x + b with logistic loss. Parameters: [w (d), b].
import type { Rng } from '../rng';
import { logisticLoss, type ToyModel } from './toyModel';

export function linearToy(inputDim: number): ToyModel {
  const d = inputDim;
  const logits = (params: Float64Array, x: Float64Array, n: number) => {
    const out = new Float64Array(n);
    const b = params[d];
    for (let i = 0; i < n; i++) {
      let f = b;
      const row = i * d;
      for (let j = 0; j < d; j++) f += params[j] * x[row + j];
      out[i] = f;
    }
    return out;
  };
  return {
    kind: 'linear',
    inputDim: d,
    paramCount: d + 1,
    // Zero init: the convex problem needs no symmetry breaking, and every method starts at the same point.
    init: (_rng: Rng) => new Float64Array(d + 1),
    logits,
    lossAndGrad(params, x, y, n, grad) {
      grad.fill(0);
      return logisticLoss(logits(params, x, n), y, n, (i, dldf) => {
        const row = i * d;
        for (let j = 0; j < d; j++) grad[j] += dldf * x[row + j];
        grad[d] += dldf;
      });
    },
    inputGrad(params, x, n, out) {
      // Plain loops: typed-array views per row are slow in the hot path.
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = params[j];
      return logits(params, x, n);
    },
    firstLayer: (params) => ({ W: params.subarray(0, d), b: params.subarray(d, d + 1), rows: 1 }),
  };
}
