// The models of the classroom toy ("the theory, live"): plain Float64Array maths, no tfjs, so a whole
// SGD / SAM / AT comparison runs in well under a second in a worker or in a Node test.
// Parameters live in one flat Float64Array so that SAM's weight perturbation e_w = rho g / ||g||_2 is
// one vector operation over all of them.
import type { Rng } from '../rng';

export type ToyModelKind = 'linear' | 'mlp';

/** Inputs are n rows of `inputDim` features, row-major; labels are +1 / -1. */
export interface ToyModel {
  readonly kind: ToyModelKind;
  readonly inputDim: number;
  readonly paramCount: number;
  /** Seeded initial parameters. */
  init(rng: Rng): Float64Array;
  /** The logits f(x_i) of the n rows of x. */
  logits(params: Float64Array, x: Float64Array, n: number): Float64Array;
  /** Mean logistic loss (1/n) sum log(1 + exp(-y_i f(x_i))); its parameter gradient is written into `grad`. */
  lossAndGrad(params: Float64Array, x: Float64Array, y: Float64Array, n: number, grad: Float64Array): number;
  /** Writes df(x_i)/dx_i (n rows) into `out` and returns the logits: the attack direction and the feature attribution. */
  inputGrad(params: Float64Array, x: Float64Array, n: number, out: Float64Array): Float64Array;
  /** The first (input) layer: W (rows x inputDim, row-major) and its bias, as views into params. */
  firstLayer(params: Float64Array): { W: Float64Array; b: Float64Array; rows: number };
}

/** log(1 + exp(-m)), stable for large |m|. */
function softplusNeg(m: number): number {
  return Math.max(-m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
}

/** sigma(-m) = 1 / (1 + exp(m)): how hard the logistic loss still pushes on an example with margin m. */
function sigmoidNeg(m: number): number {
  if (m >= 0) {
    const e = Math.exp(-m);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(m));
}

/**
 * Mean logistic loss of n rows with logits f and labels y in {-1, +1}: (1/n) sum log(1 + exp(-y f)).
 * `backprop(i, g)` gets each row's derivative of that mean, g = dL/df_i = -y_i sigma(-y_i f_i) / n.
 */
export function logisticLoss(
  f: Float64Array,
  y: Float64Array,
  n: number,
  backprop: (i: number, dldf: number) => void,
): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const m = y[i] * f[i];
    loss += softplusNeg(m);
    backprop(i, (-y[i] * sigmoidNeg(m)) / n);
  }
  return loss / n;
}
