// Functional BatchNorm over the last axis (channels), PyTorch semantics: eps 1e-5, biased batch
// variance for normalising. Running statistics are never written here: in 'train' mode the batch
// mean and biased variance go to the sink, and the caller folds them into the running buffers
// once per optimiser step (applyBatchStats), so SAM's second pass and PGD steps leave them alone.
import * as tf from '@tensorflow/tfjs';
import type { BatchStatsSink, ForwardMode } from './model';
import type { BatchNormLayer } from './modelBuilder';

/** PyTorch's BatchNorm eps. */
export const BN_EPS = 1e-5;

export function batchNorm<T extends tf.Tensor>(x: T, layer: BatchNormLayer, mode: ForwardMode, sink?: BatchStatsSink): T {
  if (mode === 'eval') {
    return tf.batchNorm(x, layer.runningMean, layer.runningVar, layer.beta, layer.gamma, BN_EPS) as T;
  }
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  if (mode === 'train') {
    if (!sink) throw new Error(`BatchNorm ${layer.prefix}: 'train' mode needs a BatchStatsSink`);
    const count = x.size / x.shape[x.shape.length - 1];
    // Clones, so the sink may dispose its copies without touching tensors the backward pass needs.
    sink(layer.prefix, tf.keep(tf.clone(mean)) as tf.Tensor1D, tf.keep(tf.clone(variance)) as tf.Tensor1D, count);
  }
  // Gradients flow through mean and variance too (FusedBatchNorm's gradient has both).
  return tf.batchNorm(x, mean, variance, layer.beta, layer.gamma, BN_EPS) as T;
}
