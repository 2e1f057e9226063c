// The input shift that a perturbation of the first layer's weights amounts to (Zhang et al.,
// ICML 2024: SAM perturbs weights, AT inputs, and on the first layer the two are one identity).
// The first conv sees z = (x - mean) / std; a weight perturbation E adds conv(z, E) to its output,
// and a pixel shift d adds conv(d / std, W) (the normalisation is affine: x + d moves z by
// d / std). So (W + E) z = W (z + d / std) exactly when
//   A d = b,   A d = conv(d / std, W),   b = conv(z, E)          (no bias: a bias is not input)
// A conv from 3 channels to many has far more outputs than inputs, so we take the least-squares
// d of minimum norm in pixel units, by CGLS (CG on the normal equations A^T A d = A^T b in the
// stable form of Björck, "Numerical Methods for Least Squares Problems", 1996, §7.4): started at
// d = 0 its iterates stay in range(A^T), so it converges to the minimum-norm minimiser. Each image
// is its own system; the batch runs them side by side with per-image step sizes. A^T is the conv's
// input gradient, as a forward conv (model/conv.ts), which every backend runs fast.
import * as tf from '@tensorflow/tfjs';
import { conv2d, inputGradByConv } from '../model/conv';

/** The first conv as a linear map on pixels: weights [kh, kw, cIn, cOut], stride, zero padding, std per input channel. */
export interface PixelConv {
  weight: tf.Tensor4D;
  stride: number;
  pad: number;
  mean: number[];
  std: number[];
}

export interface ShiftOptions {
  /** CGLS stops when every image has ||A^T r|| / ||A^T b|| below this... */
  tolerance: number;
  /** ...or after this many iterations. */
  maxIterations: number;
}

export const DEFAULT_SHIFT_OPTIONS: ShiftOptions = { tolerance: 1e-4, maxIterations: 200 };

export interface ImpliedShift {
  /** d per image, pixel units, the shape of x (the caller disposes it). */
  d: tf.Tensor4D;
  /** ||A d - b|| / ||b|| per image: the share of E's effect no input shift expresses (0 when b = 0). */
  relResidual: number[];
  /** ||A^T (A d - b)|| / ||A^T b|| per image at the stop (0 when A^T b = 0). */
  normalResidual: number[];
  iterations: number;
}

/** Per-example sum of squares, shaped [n, 1, 1, 1] to broadcast. */
const sumSq = (v: tf.Tensor4D) => tf.tidy(() => tf.sum(tf.square(v), [1, 2, 3], true));

/** A d = conv(d / std, W) and its transpose, for inputs shaped like `xShape`. */
export function pixelConvOperator(c: PixelConv, xShape: number[]) {
  const invStd = tf.tensor1d(c.std.map((s) => 1 / s));
  return {
    apply: (d: tf.Tensor4D) => tf.tidy(() => conv2d(tf.mul(d, invStd), c.weight, c.stride, c.pad)),
    transpose: (u: tf.Tensor4D) =>
      tf.tidy(() => tf.mul(inputGradByConv(u, c.weight, xShape, c.stride, c.pad), invStd) as tf.Tensor4D),
    dispose: () => invStd.dispose(),
  };
}

/** b = conv(z, E), z = (x - mean) / std: what E adds to the first conv's output on pixels x. */
export function weightEffect(x: tf.Tensor4D, c: PixelConv, e: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const z = tf.div(tf.sub(x, tf.tensor1d(c.mean)), tf.tensor1d(c.std)) as tf.Tensor4D;
    return conv2d(z, e, c.stride, c.pad);
  });
}

/** The minimum-norm least-squares d of conv(d / std, W) = conv(z, E), per image of x (pixels). */
export async function impliedInputShift(
  x: tf.Tensor4D,
  c: PixelConv,
  e: tf.Tensor4D,
  o: ShiftOptions = DEFAULT_SHIFT_OPTIONS,
): Promise<ImpliedShift> {
  const op = pixelConvOperator(c, x.shape);
  const b = weightEffect(x, c, e);
  // CGLS state: d, r = b - A d, s = A^T r, p, gamma = ||s||^2 (per image).
  let d = tf.zerosLike(x) as tf.Tensor4D;
  let r = tf.clone(b);
  let s = op.transpose(r);
  let p = tf.clone(s);
  let gamma = sumSq(s);
  const gamma0 = tf.clone(gamma);
  const bNorm2 = sumSq(b);
  let iterations = 0;
  try {
    for (; iterations < o.maxIterations;) {
      // The stop test reads n numbers back every few iterations (the loop is a handful of small convs).
      if (iterations % 5 === 0) {
        const rel = tf.tidy(() => tf.sqrt(tf.divNoNan(gamma, gamma0)));
        const v = await rel.data().finally(() => rel.dispose());
        if (v.every((q) => q <= o.tolerance)) break;
      }
      const next = tf.tidy(() => {
        const q = op.apply(p);
        // divNoNan: an image with b = 0 (rho = 0) keeps d = 0 instead of 0 / 0.
        const alpha = tf.divNoNan(gamma, sumSq(q));
        const dn = tf.add(d, tf.mul(alpha, p)) as tf.Tensor4D;
        const rn = tf.sub(r, tf.mul(alpha, q)) as tf.Tensor4D;
        const sn = op.transpose(rn);
        const gn = sumSq(sn);
        const pn = tf.add(sn, tf.mul(tf.divNoNan(gn, gamma), p)) as tf.Tensor4D;
        return { dn, rn, sn, gn, pn };
      });
      tf.dispose([d, r, s, p, gamma]);
      ({ dn: d, rn: r, sn: s, gn: gamma, pn: p } = next);
      iterations++;
    }
    // The residual afresh from d (not the recurrence's r, which drifts in float32).
    const stats = tf.tidy(() => {
      const res = tf.sub(op.apply(d), b) as tf.Tensor4D;
      const rel = tf.sqrt(tf.divNoNan(sumSq(res), bNorm2));
      const normal = tf.sqrt(tf.divNoNan(sumSq(op.transpose(res)), gamma0));
      return tf.stack([tf.reshape(rel, [-1]), tf.reshape(normal, [-1])]);
    });
    const v = await stats.data().finally(() => stats.dispose());
    const n = x.shape[0];
    return { d, relResidual: Array.from(v.slice(0, n)), normalResidual: Array.from(v.slice(n)), iterations };
  } catch (err) {
    d.dispose();
    throw err;
  } finally {
    tf.dispose([r, s, p, gamma, gamma0, bNorm2, b]);
    op.dispose();
  }
}
