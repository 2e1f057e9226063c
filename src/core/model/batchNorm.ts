// Functional BatchNorm over the last axis (channels), PyTorch semantics: eps 1e-5, biased batch
// variance for normalising. Running statistics are never written here: in 'train' mode the batch
// mean and biased variance go to the sink, and the caller folds them into the running buffers
// once per optimiser step (applyBatchStats), so SAM's second pass and PGD steps leave them alone.
//
// Why not tf.batchNorm with tf.moments: its gradient tiles 1/sqrt(var + eps) to the full input
// shape (a Tile as large as the activation, per layer) and autodiff then runs back through the
// moments too. With batch statistics the closed form (Ioffe & Szegedy, 2015, section 3) is three
// reductions and a few elementwise ops over M = N*H*W values per channel:
//   xhat = (x - mean) / sqrt(var + eps),   y = gamma xhat + beta
//   dbeta = sum dy,   dgamma = sum dy xhat,   dx = gamma / sqrt(var + eps) (dy - dbeta/M - xhat dgamma/M)
// dx is the total derivative, through the batch mean and variance included.
import * as tf from '@tensorflow/tfjs';
import type { BatchStatsSink, ForwardMode } from './model';
import type { BatchNormLayer } from './modelBuilder';

/** PyTorch's BatchNorm eps. */
export const BN_EPS = 1e-5;

export function batchNorm<T extends tf.Tensor>(
  x: T,
  layer: BatchNormLayer,
  mode: ForwardMode,
  sink?: BatchStatsSink,
): T {
  if (mode === 'eval') {
    // Running statistics are constants: y = x scale + shift broadcasts, and its input gradient is dy scale.
    const scale = tf.mul(layer.gamma, tf.rsqrt(tf.add(layer.runningVar, BN_EPS)));
    return tf.add(tf.mul(x, scale), tf.sub(layer.beta, tf.mul(layer.runningMean, scale))) as T;
  }
  if (mode === 'train' && !sink) throw new Error(`BatchNorm ${layer.prefix}: 'train' mode needs a BatchStatsSink`);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const normalize = tf.customGrad((...args) => {
    const [xIn, gamma, beta, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { mean, variance } = tf.moments(xIn, axes);
    if (mode === 'train') {
      const count = xIn.size / xIn.shape[xIn.shape.length - 1];
      // Copies the sink owns (it disposes them after the step).
      sink!(layer.prefix, tf.keep(tf.clone(mean)) as tf.Tensor1D, tf.keep(tf.clone(variance)) as tf.Tensor1D, count);
    }
    const invStd = tf.rsqrt(tf.add(variance, BN_EPS));
    const xhat = tf.mul(tf.sub(xIn, mean), invStd);
    save([xhat, invStd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy, saved) => {
        const [xh, inv, g] = saved;
        const m = xh.size / xh.shape[xh.shape.length - 1];
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xh), axes);
        const centred = tf.sub(tf.sub(dy, tf.div(dBeta, m)), tf.mul(xh, tf.div(dGamma, m)));
        return [tf.mul(centred, tf.mul(g, inv)), dGamma, dBeta];
      },
    };
  });
  return normalize(x, layer.gamma, layer.beta) as T;
}
