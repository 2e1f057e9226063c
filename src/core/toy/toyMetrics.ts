// What the classroom panel tracks: where the model puts its weight (robust vs non-robust features),
// clean and robust accuracy, and its decision boundary on a 2-D projection of the inputs.
import { linfAttack } from './linfAttack';
import type { ToyData } from './toyData';
import type { ToyModel } from './toyModel';

/**
 * Share of the model's sensitivity that falls on the robust features:
 *   sum_{j robust} E_x |df/dx_j|  /  sum_j E_x |df/dx_j|.
 * For the linear model df/dx = w, so this is exactly ||w_robust||_1 / ||w||_1. For the MLP we use this
 * input-gradient attribution rather than the first-layer weights: first-layer rows of dead units, or of
 * units the output layer ignores, carry weight the function does not use; the attribution measures
 * the features the decision actually depends on, and it agrees with the linear definition.
 */
export function robustShare(model: ToyModel, params: Float64Array, data: ToyData): number {
  const { n, d, robustDims } = data;
  const g = new Float64Array(n * d);
  model.inputGrad(params, data.x, n, g);
  let robust = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const a = Math.abs(g[i * d + j]);
      total += a;
      if (j < robustDims) robust += a;
    }
  }
  return total === 0 ? 0 : robust / total;
}

export function accuracy(model: ToyModel, params: Float64Array, x: Float64Array, y: Float64Array, n: number): number {
  const f = model.logits(params, x, n);
  let right = 0;
  for (let i = 0; i < n; i++) if (y[i] * f[i] > 0) right++;
  return right / n;
}

/**
 * Accuracy under the L-inf adversary of radius eps. Linear: exact, since
 * min_{||delta||_inf <= eps} y (w . (x + delta) + b) = y (w . x + b) - eps ||w||_1.
 * MLP: under PGD (a lower bound on the true robust error).
 */
export function robustAccuracy(
  model: ToyModel,
  params: Float64Array,
  data: ToyData,
  eps: number,
  pgdSteps: number,
): number {
  const { n, d } = data;
  if (model.kind === 'linear') {
    let w1 = 0;
    for (let j = 0; j < d; j++) w1 += Math.abs(params[j]);
    const f = model.logits(params, data.x, n);
    let right = 0;
    for (let i = 0; i < n; i++) if (data.y[i] * f[i] - eps * w1 > 0) right++;
    return right / n;
  }
  const adv = linfAttack(model, params, data.x, data.y, n, eps, pgdSteps);
  return accuracy(model, params, adv, data.y, n);
}

/** The 2-D projection: u = mean robust feature, v = mean non-robust feature, each axis a range. */
export interface ProjectionAxes {
  u: [number, number];
  v: [number, number];
}

export interface BoundaryGrid extends ProjectionAxes {
  resolution: number;
  /** Logits at the grid points, row r (v from high to low) then column c (u from low to high). */
  logits: Float64Array;
}

/** The input that the grid point (u, v) stands for: every robust feature u, every non-robust feature v. */
function liftPoint(u: number, v: number, d: number, robustDims: number, out: Float64Array, offset: number): void {
  for (let j = 0; j < d; j++) out[offset + j] = j < robustDims ? u : v;
}

/** Project inputs to (mean robust feature, mean non-robust feature). */
export function projectInputs(data: ToyData, count: number): { u: Float64Array; v: Float64Array; y: Float64Array } {
  const { d, robustDims } = data;
  const m = Math.min(count, data.n);
  const u = new Float64Array(m);
  const v = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let su = 0;
    let sv = 0;
    for (let j = 0; j < d; j++) {
      if (j < robustDims) su += data.x[i * d + j];
      else sv += data.x[i * d + j];
    }
    u[i] = robustDims > 0 ? su / robustDims : 0;
    v[i] = d > robustDims ? sv / (d - robustDims) : 0;
  }
  return { u, v, y: data.y.slice(0, m) };
}

export function decisionGrid(
  model: ToyModel,
  params: Float64Array,
  axes: ProjectionAxes,
  robustDims: number,
  resolution: number,
): BoundaryGrid {
  const d = model.inputDim;
  const pts = new Float64Array(resolution * resolution * d);
  for (let r = 0; r < resolution; r++) {
    const v = axes.v[1] - ((axes.v[1] - axes.v[0]) * r) / (resolution - 1);
    for (let c = 0; c < resolution; c++) {
      const u = axes.u[0] + ((axes.u[1] - axes.u[0]) * c) / (resolution - 1);
      liftPoint(u, v, d, robustDims, pts, (r * resolution + c) * d);
    }
  }
  return { ...axes, resolution, logits: model.logits(params, pts, resolution * resolution) };
}
