// The duality between weight and input perturbations (Zhang et al., ICML 2024), made numeric for a
// first (linear) layer: a weight perturbation E and an input perturbation d move the pre-activations
// alike,
//     (W + E) x = W (x + d)   whenever   W d = E x,
// so each SAM step, which perturbs weights, acts on every example like some input perturbation.
// For one output row (the linear model) the minimum-norm d is (e . x / ||w||^2) w: an input shift
// along w, per example, the direction an L2 adversary would push in.
import type { ToyModel } from './toyModel';

/** Solves A z = r for a small square A (row-major, k x k) by Gaussian elimination with partial pivoting;
 * directions with a vanishing pivot (A singular there) get z = 0, the pseudo-inverse's choice. */
function solveSmall(A: Float64Array, r: Float64Array, k: number): Float64Array {
  const M = Float64Array.from(A);
  const z = Float64Array.from(r);
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(M[i * k + i]));
  const tiny = 1e-12 * (scale || 1);
  const pivotOk = new Array<boolean>(k).fill(true);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(M[i * k + c]) > Math.abs(M[p * k + c])) p = i;
    if (p !== c) {
      for (let j = 0; j < k; j++) [M[c * k + j], M[p * k + j]] = [M[p * k + j], M[c * k + j]];
      [z[c], z[p]] = [z[p], z[c]];
    }
    if (Math.abs(M[c * k + c]) <= tiny) {
      pivotOk[c] = false;
      continue;
    }
    for (let i = c + 1; i < k; i++) {
      const f = M[i * k + c] / M[c * k + c];
      if (f === 0) continue;
      for (let j = c; j < k; j++) M[i * k + j] -= f * M[c * k + j];
      z[i] -= f * z[c];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    if (!pivotOk[c]) {
      z[c] = 0;
      continue;
    }
    let s = z[c];
    for (let j = c + 1; j < k; j++) s -= M[c * k + j] * z[j];
    z[c] = s / M[c * k + c];
  }
  return z;
}

/** y = M v for M rows x cols. */
function matVec(M: Float64Array, v: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += M[r * cols + c] * v[c];
    out[r] = s;
  }
  return out;
}

/**
 * The minimum-norm input perturbation d with W d = E x (+ biasShift): W, E are rows x cols (row-major),
 * x has cols entries, so rows = W.length / x.length. With rows <= cols (a first layer narrower than its
 * input) and W of full row rank, d = W^T (W W^T)^{-1} E x solves it exactly; with rows > cols it is
 * the least-squares d = (W^T W)^{-1} W^T E x, and the identity may then hold only approximately
 * (dualityResidual says how far). `biasShift` folds a bias perturbation e_b into the target:
 * (W + E) x + b + e_b = W (x + d) + b.
 */
export function inputPerturbationForWeightPerturbation(
  W: Float64Array,
  E: Float64Array,
  x: Float64Array,
  biasShift?: Float64Array,
): Float64Array {
  const cols = x.length;
  const rows = W.length / cols;
  if (!Number.isInteger(rows) || rows < 1 || E.length !== W.length)
    throw new Error(`W and E must be rows x ${cols}, got ${W.length} and ${E.length} entries`);
  if (biasShift && biasShift.length !== rows)
    throw new Error(`biasShift must have ${rows} entries, got ${biasShift.length}`);
  const target = matVec(E, x, rows, cols);
  if (biasShift) for (let r = 0; r < rows; r++) target[r] += biasShift[r];
  if (rows <= cols) {
    const G = new Float64Array(rows * rows);
    for (let a = 0; a < rows; a++)
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += W[a * cols + c] * W[b * cols + c];
        G[a * rows + b] = s;
      }
    const z = solveSmall(G, target, rows);
    const d = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) d[c] += W[r * cols + c] * z[r];
    return d;
  }
  const G = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  for (let a = 0; a < cols; a++) {
    for (let r = 0; r < rows; r++) rhs[a] += W[r * cols + a] * target[r];
    for (let b = 0; b < cols; b++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += W[r * cols + a] * W[r * cols + b];
      G[a * cols + b] = s;
    }
  }
  return solveSmall(G, rhs, cols);
}

/** Both sides of the identity for one example, and the largest gap between them. */
export interface DualityCheck {
  /** (W + E) x + b + e_b: the pre-activations under the weight perturbation. */
  weightSide: Float64Array;
  /** W (x + d) + b: the pre-activations under the matching input perturbation. */
  inputSide: Float64Array;
  d: Float64Array;
  maxAbsError: number;
}

export function dualityCheck(
  W: Float64Array,
  E: Float64Array,
  b: Float64Array,
  eb: Float64Array,
  x: Float64Array,
): DualityCheck {
  const cols = x.length;
  const rows = W.length / cols;
  const d = inputPerturbationForWeightPerturbation(W, E, x, eb);
  const WE = new Float64Array(W.length);
  for (let i = 0; i < W.length; i++) WE[i] = W[i] + E[i];
  const xd = new Float64Array(cols);
  for (let c = 0; c < cols; c++) xd[c] = x[c] + d[c];
  const weightSide = matVec(WE, x, rows, cols);
  const inputSide = matVec(W, xd, rows, cols);
  let maxAbsError = 0;
  for (let r = 0; r < rows; r++) {
    weightSide[r] += b[r] + eb[r];
    inputSide[r] += b[r];
    maxAbsError = Math.max(maxAbsError, Math.abs(weightSide[r] - inputSide[r]));
  }
  return { weightSide, inputSide, d, maxAbsError };
}

/** What one SAM step looks like from the input side, on one example. */
export interface SamStepDuality extends DualityCheck {
  rho: number;
  x: Float64Array;
  /** The first layer at the current weights (rows x inputDim) and its bias. */
  W: Float64Array;
  b: Float64Array;
  /** The first-layer slice of e_w = rho g / ||g||_2 (rows x inputDim) and of its bias part. */
  E: Float64Array;
  eb: Float64Array;
  rows: number;
  /** ||d||_2 and ||d||_inf: the size of the input perturbation this weight step amounts to. */
  dNorm2: number;
  dNormInf: number;
}

/**
 * SAM's ascent step e_w = rho g / ||g||_2 at `params` (g: the gradient on the batch x, y), read as an
 * input perturbation of example `index` through the first layer.
 */
export function samStepDuality(
  model: ToyModel,
  params: Float64Array,
  x: Float64Array,
  y: Float64Array,
  n: number,
  rho: number,
  index: number,
): SamStepDuality {
  const g = new Float64Array(model.paramCount);
  model.lossAndGrad(params, x, y, n, g);
  let norm = 0;
  for (let i = 0; i < g.length; i++) norm += g[i] * g[i];
  norm = Math.sqrt(norm);
  const e = new Float64Array(g.length);
  if (norm > 0) for (let i = 0; i < g.length; i++) e[i] = (rho * g[i]) / norm;
  const { W, b, rows } = model.firstLayer(params);
  const layer = model.firstLayer(e);
  const d0 = model.inputDim;
  const xi = x.slice(index * d0, index * d0 + d0);
  const check = dualityCheck(W, layer.W, b, layer.b, xi);
  let dNorm2 = 0;
  let dNormInf = 0;
  for (const v of check.d) {
    dNorm2 += v * v;
    dNormInf = Math.max(dNormInf, Math.abs(v));
  }
  return {
    ...check,
    rho,
    x: xi,
    W: Float64Array.from(W),
    b: Float64Array.from(b),
    E: Float64Array.from(layer.W),
    eb: Float64Array.from(layer.b),
    rows,
    dNorm2: Math.sqrt(dNorm2),
    dNormInf,
  };
}
