// The loop every slice shares (weightSlice.ts, inputSlice.ts): rows of points, each point scored on
// the device as [loss, accuracy] of the fixed batch; one read-back per row (tfjs issues ops eagerly,
// so each forward sees its own point's weights or inputs), a cancellation check before each row,
// and the result so far handed on after each row.
import * as tf from '@tensorflow/tfjs';
import type { DeviceBatch } from '../train/objective';
import { throwIfCancelled, type CancelSignal } from './cancel';
import { estimateCost, type CostParams } from './cost';
import type { LandscapeKind } from './results';

export interface SliceHooks<R> {
  /** Called with the result so far after each point (1-D) or row (2-D); valid during the call only (post or copy it). A promise it returns is awaited. */
  onPartial?: (partial: R) => unknown;
  signal?: CancelSignal;
}

/** A slice's measurements before its first row: the batch's size, `kind`'s estimated cost, nothing done yet. */
export const unmeasured = (kind: LandscapeKind, batch: DeviceBatch, p: CostParams) => ({
  batchSize: batch.labels.shape[0],
  estimate: estimateCost(kind, p),
  evals: 0,
  gradEvals: 0,
  ms: 0,
});

/**
 * Fills `out` row by row: `scoreRow(i)` (run inside tf.tidy) returns row i's scores, [loss, acc]
 * of each point in order; `store(i, values)` puts them in `out`. `t0`: when the slice started.
 */
export async function sweep<R extends { evals: number; ms: number }>(
  out: R,
  rows: number,
  scoreRow: (i: number) => tf.Tensor,
  store: (i: number, values: Float32Array) => void,
  hooks: SliceHooks<R>,
  t0: number,
): Promise<R> {
  for (let i = 0; i < rows; i++) {
    throwIfCancelled(hooks.signal);
    const scores = tf.tidy(() => scoreRow(i));
    const values = (await scores.data().finally(() => scores.dispose())) as Float32Array;
    store(i, values);
    out.evals += values.length / 2;
    out.ms = performance.now() - t0;
    await hooks.onPartial?.(out);
  }
  out.ms = performance.now() - t0;
  return out;
}

/** The `store` of a 2-D slice: each row's [loss, acc] pairs appended as a row of `loss` and one of `acc`. */
export const gridRows =
  (out: { loss: number[][]; acc: number[][] }) =>
  (_: number, values: Float32Array): void => {
    const loss: number[] = [];
    const acc: number[] = [];
    for (let j = 0; j < values.length; j += 2) {
      loss.push(values[j]);
      acc.push(values[j + 1]);
    }
    out.loss.push(loss);
    out.acc.push(acc);
  };
