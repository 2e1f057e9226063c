// The two-layer ReLU network f(x) = w2 . relu(W1 x + b1) + b2 with logistic loss.
// Parameters: [W1 (h x d, row-major), b1 (h), w2 (h), b2].
import type { Rng } from '../rng';
import { logisticLoss, type ToyModel } from './toyModel';

export function mlpToy(inputDim: number, hidden: number): ToyModel {
  const d = inputDim;
  const h = hidden;
  const oB1 = h * d;
  const oW2 = oB1 + h;
  const oB2 = oW2 + h;
  const paramCount = oB2 + 1;

  /** Pre-activations (n x h) and logits of the n rows. */
  const forward = (p: Float64Array, x: Float64Array, n: number) => {
    const z = new Float64Array(n * h);
    const f = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let out = p[oB2];
      for (let k = 0; k < h; k++) {
        let s = p[oB1 + k];
        const wk = k * d;
        for (let j = 0; j < d; j++) s += p[wk + j] * x[row + j];
        z[i * h + k] = s;
        if (s > 0) out += p[oW2 + k] * s;
      }
      f[i] = out;
    }
    return { z, f };
  };

  return {
    kind: 'mlp',
    inputDim: d,
    paramCount,
    // He-style init for the ReLU layer, small output layer, zero biases.
    init(rng: Rng) {
      const p = new Float64Array(paramCount);
      const s1 = Math.sqrt(2 / d);
      for (let i = 0; i < oB1; i++) p[i] = rng.normal() * s1;
      const s2 = 1 / Math.sqrt(h);
      for (let k = 0; k < h; k++) p[oW2 + k] = rng.normal() * s2;
      return p;
    },
    logits: (p, x, n) => forward(p, x, n).f,
    lossAndGrad(p, x, y, n, grad) {
      const { z, f } = forward(p, x, n);
      grad.fill(0);
      return logisticLoss(f, y, n, (i, dldf) => {
        grad[oB2] += dldf;
        const row = i * d;
        for (let k = 0; k < h; k++) {
          const s = z[i * h + k];
          if (s <= 0) continue;
          grad[oW2 + k] += dldf * s;
          const dz = dldf * p[oW2 + k];
          grad[oB1 + k] += dz;
          const wk = k * d;
          for (let j = 0; j < d; j++) grad[wk + j] += dz * x[row + j];
        }
      });
    },
    inputGrad(p, x, n, out) {
      const { z, f } = forward(p, x, n);
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const row = i * d;
        for (let k = 0; k < h; k++) {
          if (z[i * h + k] <= 0) continue;
          const a = p[oW2 + k];
          const wk = k * d;
          for (let j = 0; j < d; j++) out[row + j] += a * p[wk + j];
        }
      }
      return f;
    },
    firstLayer: (p) => ({ W: p.subarray(0, oB1), b: p.subarray(oB1, oW2), rows: h }),
  };
}
