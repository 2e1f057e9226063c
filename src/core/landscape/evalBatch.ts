// The fixed batch every landscape of an experiment is computed on: a seeded stratified sample of
// the test set (Rng(seed).derive('landscape-batch')), the same for every run and every time, so
// the runs' slices differ only through their weights. Scored in BatchNorm 'eval' mode (running
// statistics, which 'eval' never writes), without augmentation.
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { stratifiedSubset } from '../data/subset';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import { countCorrect, crossEntropy, toDeviceBatch, type DeviceBatch } from '../train/objective';

/** The batch on the device (dispose with disposeBatch) and its size. */
export function landscapeBatch(test: Dataset, size: number, seed: number): DeviceBatch {
  if (test.n === 0) throw new Error('the landscape needs a non-empty test set');
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`landscape batch size must be a positive integer, got ${size}`);
  const set = size >= test.n ? test : stratifiedSubset(test, size, new Rng(seed).derive('landscape-batch'));
  return toDeviceBatch(set.x, Int32Array.from(set.y), set.shape, test.numClasses);
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
