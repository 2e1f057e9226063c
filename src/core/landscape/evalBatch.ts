// The fixed batch every landscape of an experiment is computed on: a seeded stratified sample of
// the test set (Rng(seed).derive('landscape-batch')), the same for every run and every time, so
// the runs' slices differ only through their weights. Scored in BatchNorm 'eval' mode (running
// statistics, which 'eval' never writes), without augmentation.
import * as tf from '@tensorflow/tfjs';
import { examplesAsFloat, type Dataset } from '../data/dataset';
import { stratifiedSubset } from '../data/subset';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import {
  countCorrect,
  crossEntropy,
  disposeBatch,
  lossAndGrads,
  toDeviceBatch,
  type DeviceBatch,
} from '../train/objective';

/** The batch on the device (dispose with disposeBatch) and its size. */
export function landscapeBatch(test: Dataset, size: number, seed: number): DeviceBatch {
  if (test.n === 0) throw new Error('the landscape needs a non-empty test set');
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`landscape batch size must be a positive integer, got ${size}`);
  const set = size >= test.n ? test : stratifiedSubset(test, size, new Rng(seed).derive('landscape-batch'));
  return toDeviceBatch(examplesAsFloat(set), Int32Array.from(set.y), set.shape, test.numClasses);
}

/** [mean cross-entropy, accuracy] of inputs `x` (default the batch's own) in eval mode, as one tensor for one read-back. */
export function batchScores(model: Model, batch: DeviceBatch, x: tf.Tensor = batch.x): tf.Tensor1D {
  return tf.tidy(() => {
    const logits = model.forward(x, 'eval');
    return tf.stack([
      crossEntropy(logits, batch.oneHot),
      tf.div(countCorrect(logits, batch.labels), batch.labels.shape[0]),
    ]) as tf.Tensor1D;
  });
}

/**
 * Examples per gradient pass over the fixed batch. A pass holds every activation of its examples
 * and their gradients at once, and a wasm worker's heap never shrinks: the default preset's
 * duality view, one pass over all 128 images, took a worker's heap from 69 to 144 MiB, twice what
 * its training steps (batch 64) need; the input slices' PGD direction, from 48 to 83 MiB.
 */
export const GRAD_CHUNK = 32;

/**
 * `f` on consecutive rows of the batch, `chunk` at a time, in order; each part is disposed after
 * its call (the whole batch is passed as it is when it fits in one chunk).
 */
export function forChunks<T>(batch: DeviceBatch, chunk: number, f: (part: DeviceBatch, rows: number) => T): T[] {
  if (!Number.isInteger(chunk) || chunk < 1) throw new Error(`gradient chunk must be a positive integer, got ${chunk}`);
  const n = batch.labels.shape[0];
  if (n <= chunk) return [f(batch, n)];
  const out: T[] = [];
  for (let start = 0; start < n; start += chunk) {
    const k = Math.min(chunk, n - start);
    const part = tf.tidy(() => ({
      x: tf.slice(batch.x, start, k),
      labels: tf.slice(batch.labels, start, k),
      oneHot: tf.slice(batch.oneHot, start, k),
    }));
    try {
      out.push(f(part, k));
    } finally {
      disposeBatch(part);
    }
  }
  return out;
}

/**
 * The gradient of the batch's mean cross-entropy in eval mode, one tensor per model parameter,
 * computed `chunk` examples at a time. In eval mode no example affects another's loss (BatchNorm
 * reads its running statistics), so the gradient of the mean is the sum over chunks of each
 * chunk's mean gradient times its share k / n: the same number up to float rounding.
 */
export function evalGrads(model: Model, batch: DeviceBatch, chunk = GRAD_CHUNK): tf.Tensor[] {
  const n = batch.labels.shape[0];
  let sum: tf.Tensor[] | undefined;
  forChunks(batch, chunk, (part, k) => {
    const r = lossAndGrads(model, part.x, part, 'eval');
    tf.dispose([r.loss, r.correct]);
    const prev = sum;
    sum = tf.tidy(() => r.grads.map((g, i) => (prev ? tf.add(prev[i], tf.mul(g, k / n)) : tf.mul(g, k / n))));
    tf.dispose([...r.grads, ...(prev ?? [])]);
  });
  return sum!;
}
