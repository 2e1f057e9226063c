// The robust / non-robust feature set as plain Float64 arrays with labels +1 / -1, drawn by the same
// generator the training core uses (src/core/data/featureSet.ts), so a seed means the same points in both.
import { featureSet } from '../data/featureSet';
import type { Rng } from '../rng';
import type { FeatureSetParams } from '../spec';

export interface ToyData {
  /** n rows of d = robustDims + nonRobustDims features: the robust ones first. */
  x: Float64Array;
  /** +1 / -1. */
  y: Float64Array;
  n: number;
  d: number;
  robustDims: number;
}

export function makeToyData(params: FeatureSetParams, n: number, rng: Rng): ToyData {
  const set = featureSet(params, n, rng);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = set.y[i] === 1 ? 1 : -1;
  return { x: Float64Array.from(set.x), y, n, d: set.shape[0], robustDims: params.robustDims };
}

/** Rows [start, start + count) of the set, wrapping over a permutation (mini-batches). */
export function gatherRows(
  data: ToyData,
  order: Int32Array,
  start: number,
  count: number,
  x: Float64Array,
  y: Float64Array,
): void {
  const { d } = data;
  for (let r = 0; r < count; r++) {
    const i = order[(start + r) % order.length];
    for (let j = 0; j < d; j++) x[r * d + j] = data.x[i * d + j];
    y[r] = data.y[i];
  }
}
