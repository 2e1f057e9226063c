// Weight-space slices of the loss (Li et al., 2018): L(w + a d) along one filter-normalised
// direction and L(w + a d1 + b d2) on a plane, a and b in [-1, 1], on the fixed batch in eval
// mode. One forward of the batch per point; the weights are restored bit-exactly afterwards,
// also when cancelled or failing.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/model';
import type { DeviceBatch } from '../train/objective';
import { linspace } from './axes';
import { throwIfCancelled, type CancelSignal } from './cancel';
import { estimateCost } from './cost';
import type { WeightDirection } from './directions';
import { batchScores } from './evalBatch';
import type { WeightSlice1d, WeightSlice2d } from './results';
import { WeightOrigin } from './weightOrigin';

export interface SliceHooks<R> {
  /** Called with the result so far after each point (1-D) or row (2-D); valid during the call only (post or copy it). A promise it returns is awaited. */
  onPartial?: (partial: R) => unknown;
  signal?: CancelSignal;
}

export async function weightSlice1d(model: Model, batch: DeviceBatch, d: WeightDirection, points: number, hooks: SliceHooks<WeightSlice1d> = {}): Promise<WeightSlice1d> {
  const t0 = performance.now();
  const alphas = linspace(-1, 1, points);
  const out: WeightSlice1d = {
    kind: 'weight-1d',
    alphas,
    loss: [],
    acc: [],
    batchSize: batch.labels.shape[0],
    estimate: estimateCost('weight-1d', { points }),
    evals: 0,
    gradEvals: 0,
    ms: 0,
  };
  const origin = new WeightOrigin(model.params.map((p) => p.variable));
  try {
    for (const a of alphas) {
      throwIfCancelled(hooks.signal);
      origin.moveTo([d], [a]);
      const scores = batchScores(model, batch);
      const [loss, acc] = await scores.data().finally(() => scores.dispose());
      out.loss.push(loss);
      out.acc.push(acc);
      out.evals++;
      out.ms = performance.now() - t0;
      await hooks.onPartial?.(out);
    }
  } finally {
    origin.dispose();
  }
  out.ms = performance.now() - t0;
  return out;
}

export async function weightSlice2d(
  model: Model,
  batch: DeviceBatch,
  d1: WeightDirection,
  d2: WeightDirection,
  points: number,
  hooks: SliceHooks<WeightSlice2d> = {},
): Promise<WeightSlice2d> {
  const t0 = performance.now();
  const alphas = linspace(-1, 1, points);
  const betas = linspace(-1, 1, points);
  const out: WeightSlice2d = {
    kind: 'weight-2d',
    alphas,
    betas,
    loss: [],
    acc: [],
    batchSize: batch.labels.shape[0],
    estimate: estimateCost('weight-2d', { points }),
    evals: 0,
    gradEvals: 0,
    ms: 0,
  };
  const origin = new WeightOrigin(model.params.map((p) => p.variable));
  try {
    for (const a of alphas) {
      const row: tf.Tensor[] = [];
      try {
        for (const b of betas) {
          throwIfCancelled(hooks.signal);
          origin.moveTo([d1, d2], [a, b]);
          row.push(batchScores(model, batch));
          out.evals++;
        }
        // One read-back per row (tfjs ops are issued eagerly, so each forward used the weights of its own point).
        const stacked = tf.stack(row);
        const values = await stacked.data().finally(() => stacked.dispose());
        out.loss.push(betas.map((_, j) => values[2 * j]));
        out.acc.push(betas.map((_, j) => values[2 * j + 1]));
      } finally {
        tf.dispose(row);
      }
      out.ms = performance.now() - t0;
      await hooks.onPartial?.(out);
    }
  } finally {
    origin.dispose();
  }
  out.ms = performance.now() - t0;
  return out;
}
