// The top Hessian eigenvalue by power iteration on Hessian-vector products. tfjs cannot take
// second-order gradients through its convolutions, so Hv comes from central differences of
// gradients:
//   Hv ~ (g(w + h v) - g(w - h v)) / (2 h),   ||v||_2 = 1,  h = relStep * ||w||_2
// (exact for a quadratic loss; O(h^2) error otherwise). Each iteration costs two gradient passes:
//   lambda_k = v_k . H v_k (Rayleigh quotient),   v_{k+1} = H v_k / ||H v_k||
// stopping when |lambda_k - lambda_{k-1}| / |lambda_k| < tolerance or after maxIterations. Power
// iteration finds the eigenvalue of largest magnitude; for a network near a minimum that is the
// top (positive) one. The start vector is Gaussian from Rng(seed).derive('hessian-start').
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
  if (!Number.isInteger(o.maxIterations) || o.maxIterations < 1) throw new Error(`power iteration needs maxIterations >= 1, got ${o.maxIterations}`);
  if (!(o.tolerance > 0) || !(o.relStep > 0)) throw new Error(`power iteration needs tolerance > 0 and relStep > 0, got ${o.tolerance}, ${o.relStep}`);
  const origin = new WeightOrigin(vars);
  const rng = new Rng(o.seed).derive('hessian-start');
  let v: tf.Tensor[] = tf.tidy(() => {
    const raw = vars.map((w) => tf.tensor(rng.fillNormal(new Float32Array(w.size)), w.shape, 'float32'));
    const n = globalNorm(raw);
    return raw.map((r) => tf.div(r, n));
  });
  const wNorm = globalNorm(origin.weights);
  const h = Math.max((await wNorm.data().finally(() => wNorm.dispose()))[0] * o.relStep, 1e-6);
  const out: PowerIterationResult = { eigenvalue: NaN, iterations: 0, relChange: Infinity, converged: false, h, gradEvals: 0 };
  try {
    for (let k = 1; k <= o.maxIterations; k++) {
      throwIfCancelled(signal);
      origin.moveTo([v], [h]);
      const gPlus = gradient();
      origin.moveTo([v], [-h]);
      const gMinus = gradient();
      origin.restore();
      out.gradEvals += 2;
      const hv = tf.tidy(() => gPlus.map((g, i) => tf.div(tf.sub(g, gMinus[i]), 2 * h)));
      tf.dispose([...gPlus, ...gMinus]);
      const stats = tf.tidy(() => tf.stack([tf.addN(hv.map((x, i) => tf.sum(tf.mul(x, v[i])))), globalNorm(hv)]));
      const [lambda, hvNorm] = await stats.data().finally(() => stats.dispose());
      const prev = out.eigenvalue;
      out.eigenvalue = lambda;
      out.iterations = k;
      if (k > 1) out.relChange = Math.abs(lambda - prev) / Math.max(Math.abs(lambda), TINY);
      const next = hvNorm > 0 ? tf.tidy(() => hv.map((x) => tf.div(x, hvNorm))) : null;
      tf.dispose(hv);
      if (!next) {
        // Hv = 0: v is in the null space; the estimate is 0 and nothing more can be learnt from v.
        out.relChange = 0;
        out.converged = true;
        break;
      }
      tf.dispose(v);
      v = next;
      if (out.relChange < o.tolerance) {
        out.converged = true;
        break;
      }
    }
  } finally {
    tf.dispose(v);
    origin.dispose();
  }
  return out;
}
