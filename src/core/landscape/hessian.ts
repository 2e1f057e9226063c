// The top Hessian eigenvalue by the Lanczos method on Hessian-vector products. tfjs cannot take
// second-order gradients through its convolutions, so Hv comes from central differences of
// gradients:
//   Hv ~ (g(w + h v) - g(w - h v)) / (2 h),   ||v||_2 = 1,  h = relStep * ||w||_2
// (exact for a quadratic loss; O(h^2) error otherwise), two gradient passes per iteration.
// Lanczos (with full reorthogonalisation, against float32 rounding) builds an orthonormal basis
// q_1..q_k of the Krylov space and the tridiagonal T_k = Q^T H Q:
//   w = H q_k - alpha_k q_k - beta_{k-1} q_{k-1},  alpha_k = q_k . H q_k,  beta_k = ||w||,  q_{k+1} = w / beta_k;
// the top eigenvalue theta of T_k (a Ritz value) approaches H's top eigenvalue far faster than power
// iteration, whose rate is lambda_2 / lambda_1 (0.96-0.99 on the lab's nets: 20 steps did not do).
// The estimate's uncertainty is the Ritz residual ||H y - theta y|| = beta_k |s_k| (s: theta's
// eigenvector of T_k): H has an eigenvalue within it of theta (symmetric H). It stops when theta's
// relative change is below tolerance, or after maxIterations. The start vector is Gaussian from
// Rng(seed).derive('hessian-start').
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { throwIfCancelled, type CancelSignal } from './cancel';
import { WeightOrigin } from './weightOrigin';

export interface PowerIterationOptions {
  maxIterations: number;
  /** Stop once the relative change of the eigenvalue estimate is below this. */
  tolerance: number;
  /** Finite-difference step relative to ||w||_2. */
  relStep: number;
  seed: number;
}

// Defined beside the request (request.ts), which the page reads without tfjs.
export { DEFAULT_POWER_ITERATION } from './request';

export interface PowerIterationResult {
  eigenvalue: number;
  /** The Ritz residual: H has an eigenvalue within this of `eigenvalue`. */
  residual: number;
  iterations: number;
  relChange: number;
  converged: boolean;
  /** The finite-difference step used. */
  h: number;
  gradEvals: number;
}

const TINY = 1e-30;

function globalNorm(ts: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(ts.map((t) => tf.sum(tf.square(t))))) as tf.Scalar);
}

/**
 * Power iteration over the Hessian of the loss whose gradient `gradient()` returns at the current
 * values of `vars` (one tensor per variable, the caller's to keep or free: they are disposed here).
 * The variables end bit-exactly as they began.
 */
export async function topHessianEigenvalue(
  vars: tf.Variable[],
  gradient: () => tf.Tensor[],
  o: PowerIterationOptions,
  signal?: CancelSignal,
): Promise<PowerIterationResult> {
  if (!Number.isInteger(o.maxIterations) || o.maxIterations < 1)
    throw new Error(`the Hessian eigenvalue needs maxIterations >= 1, got ${o.maxIterations}`);
  if (!(o.tolerance > 0) || !(o.relStep > 0))
    throw new Error(`the Hessian eigenvalue needs tolerance > 0 and relStep > 0, got ${o.tolerance}, ${o.relStep}`);
  const origin = new WeightOrigin(vars);
  const rng = new Rng(o.seed).derive('hessian-start');
  let v: tf.Tensor[] = tf.tidy(() => {
    const raw = vars.map((w) => tf.tensor(rng.fillNormal(new Float32Array(w.size)), w.shape, 'float32'));
    const n = globalNorm(raw);
    return raw.map((r) => tf.div(r, n));
  });
  const wNorm = globalNorm(origin.weights);
  const h = Math.max((await wNorm.data().finally(() => wNorm.dispose()))[0] * o.relStep, 1e-6);
  const out: PowerIterationResult = {
    eigenvalue: NaN,
    residual: Infinity,
    iterations: 0,
    relChange: Infinity,
    converged: false,
    h,
    gradEvals: 0,
  };
  const basis: tf.Tensor[][] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  try {
    for (let k = 1; k <= o.maxIterations; k++) {
      throwIfCancelled(signal);
      origin.moveTo([v], [h]);
      const gPlus = gradient();
      origin.moveTo([v], [-h]);
      const gMinus = gradient();
      origin.restore();
      out.gradEvals += 2;
      basis.push(v);
      const hq = tf.tidy(() => gPlus.map((g, i) => tf.div(tf.sub(g, gMinus[i]), 2 * h)));
      tf.dispose([...gPlus, ...gMinus]);
      const w = tf.tidy(() => {
        let r = hq;
        // Full reorthogonalisation, twice (Parlett's "twice is enough"): r -= sum_j (q_j . r) q_j,
        // which removes alpha_k q_k and beta_{k-1} q_{k-1} and the rounding's drift along older q_j.
        for (let pass = 0; pass < 2; pass++) {
          for (const q of basis) {
            const c = tf.addN(r.map((x, i) => tf.sum(tf.mul(x, q[i]))));
            r = r.map((x, i) => tf.sub(x, tf.mul(q[i], c)));
          }
        }
        return r;
      });
      const stats = tf.tidy(() => tf.stack([tf.addN(hq.map((x, i) => tf.sum(tf.mul(x, v[i])))), globalNorm(w)]));
      tf.dispose(hq);
      const [alphaK, wNormK] = await stats.data().finally(() => stats.dispose());
      alpha.push(alphaK);
      beta.push(wNormK);
      const { value: theta, last } = topOfTridiagonal(alpha, beta.slice(0, -1));
      const prev = out.eigenvalue;
      out.eigenvalue = theta;
      out.residual = Math.abs(wNormK * last);
      out.iterations = k;
      if (k > 1) out.relChange = Math.abs(theta - prev) / Math.max(Math.abs(theta), TINY);
      if (!(wNormK > 1e-12 * Math.max(Math.abs(theta), 1))) {
        // An invariant subspace: T_k's eigenvalues are H's.
        tf.dispose(w);
        out.relChange = 0;
        out.converged = true;
        break;
      }
      v = tf.tidy(() => w.map((x) => tf.div(x, wNormK)));
      tf.dispose(w);
      if (out.relChange < o.tolerance) {
        out.converged = true;
        break;
      }
    }
  } finally {
    for (const q of basis) if (q !== v) tf.dispose(q);
    tf.dispose(v);
    origin.dispose();
  }
  return out;
}

/**
 * The largest eigenvalue of the symmetric tridiagonal matrix with diagonal `a` and off-diagonal `b`
 * (b.length = a.length - 1), and the last component of its unit eigenvector (cyclic Jacobi, float64:
 * the matrix is at most maxIterations wide).
 */
export function topOfTridiagonal(a: readonly number[], b: readonly number[]): { value: number; last: number } {
  const n = a.length;
  const m = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? a[i] : Math.abs(i - j) === 1 ? b[Math.min(i, j)] : 0)),
  );
  const vec: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const [mkp, mkq] = [m[k][p], m[k][q]];
          m[k][p] = c * mkp - sn * mkq;
          m[k][q] = sn * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const [mpk, mqk] = [m[p][k], m[q][k]];
          m[p][k] = c * mpk - sn * mqk;
          m[q][k] = sn * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const [vkp, vkq] = [vec[k][p], vec[k][q]];
          vec[k][p] = c * vkp - sn * vkq;
          vec[k][q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  let top = 0;
  for (let i = 1; i < n; i++) if (m[i][i] > m[top][top]) top = i;
  return { value: m[top][top], last: vec[n - 1][top] };
}
