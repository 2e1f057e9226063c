// The training objective: softmax cross-entropy, mean over the batch, and its gradient with
// respect to every parameter of a model, for one batch and one BatchNorm mode.
import * as tf from '@tensorflow/tfjs';
import type { BatchStatsSink, ForwardMode, Model } from '../model/model';
import { copyRows, type Dataset } from '../data/dataset';

/**
 * -log softmax(logits)[label] of each row; `oneHot` is [batch, classes]. Its gradient with respect
 * to the logits is softmax(z) - onehot(y), with the label's entry p_y - 1 computed as
 * -sum_{j != y} p_j. tfjs's own (through logSoftmax) forms p_y - 1 by subtraction: once a model fits
 * its batch (p_y near 1), that cancels and leaves the gradient with a float32 error of about
 * 6e-8 / (1 - p_y) relative, 0.1-1 % at the losses SAM's second pass sees on a trained model, and
 * different on each backend (issue 15: SAM on wasm 0.3 % off the float64 gradient). The sum of the
 * other classes' probabilities has no cancellation: the gradient is float32-accurate at any loss.
 */
export const perExampleCrossEntropy = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, oneHot, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([logits, oneHot]);
  return {
    value: tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [z, hot] = saved;
      const others = tf.mul(tf.softmax(z), tf.sub(1, hot));
      const dz = tf.sub(others, tf.mul(hot, tf.sum(others, -1, true)));
      return [tf.mul(tf.expandDims(dy, -1), dz), tf.zerosLike(hot)];
    },
  };
}) as (logits: tf.Tensor2D, oneHot: tf.Tensor2D) => tf.Tensor1D;

/** Mean over the batch of -log softmax(logits)[label]. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(perExampleCrossEntropy(logits, oneHot)));
}

/** Number of rows whose arg-max logit is the label (a float32 scalar); with `mask`, only rows of mask 1 count (padding has 0). */
export function countCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D, mask?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const correct = tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32');
    return tf.sum(mask ? tf.mul(correct, mask) : correct);
  });
}

/** A labelled batch on the device: inputs, int32 labels and their one-hot rows. */
export interface DeviceBatch {
  x: tf.Tensor;
  labels: tf.Tensor1D;
  oneHot: tf.Tensor2D;
}

export function toDeviceBatch(x: Float32Array, labels: Int32Array, shape: number[], numClasses: number): DeviceBatch {
  return tf.tidy(() => {
    const l = tf.tensor1d(labels, 'int32');
    return {
      x: tf.tensor(x, [labels.length, ...shape], 'float32'),
      labels: l,
      oneHot: tf.oneHot(l, numClasses) as tf.Tensor2D,
    };
  });
}

/**
 * Rows start..start+bs of `set` as one batch of fixed size `bs` (fixed shapes keep the backend's
 * compiled kernels warm); rows past the end are zeros, and `real` says how many are not.
 */
export function paddedBatch(
  set: Dataset,
  start: number,
  bs: number,
  numClasses: number,
): { batch: DeviceBatch; real: number } {
  const dim = set.x.length / set.n;
  const real = Math.min(bs, set.n - start);
  const x = new Float32Array(bs * dim);
  copyRows(set, start, real, x);
  const labels = new Int32Array(bs);
  labels.set(set.y.subarray(start, start + real));
  return { batch: toDeviceBatch(x, labels, set.shape, numClasses), real };
}

export function disposeBatch(b: DeviceBatch): void {
  tf.dispose([b.x, b.labels, b.oneHot]);
}

/** Loss, correct count and one gradient per model parameter (model.params order). */
export interface LossAndGrads {
  loss: tf.Scalar;
  correct: tf.Scalar;
  grads: tf.Tensor[];
}

export function disposeLossAndGrads(r: LossAndGrads): void {
  tf.dispose([r.loss, r.correct, ...r.grads]);
}

/**
 * Gradient of the mean cross-entropy at the model's current weights on inputs `x`. In 'train' mode
 * the BatchNorm layers report their batch statistics to `sink` (the caller applies them once).
 */
export function lossAndGrads(
  model: Model,
  x: tf.Tensor,
  batch: DeviceBatch,
  mode: ForwardMode,
  sink?: BatchStatsSink,
): LossAndGrads {
  const vars = model.params.map((p) => p.variable);
  const kept: { correct?: tf.Scalar } = {};
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.forward(x, mode, sink);
    kept.correct = tf.keep(countCorrect(logits, batch.labels));
    return crossEntropy(logits, batch.oneHot);
  }, vars);
  return { loss: value, correct: kept.correct!, grads: vars.map((v) => grads[v.name]) };
}
