// Weight-space slices of the loss (Li et al., 2018): L(w + a d) along one filter-normalised
// direction and L(w + a d1 + b d2) on a plane, a and b in [-1, 1], on the fixed batch in eval
// mode. One forward of the batch per point; the weights are restored bit-exactly afterwards,
// also when cancelled or failing.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/model';
import type { DeviceBatch } from '../train/objective';
import { linspace } from './axes';
import { throwIfCancelled } from './cancel';
import type { WeightDirection } from './directions';
import { batchScores } from './evalBatch';
import type { WeightSlice1d, WeightSlice2d } from './results';
import { gridRows, sweep, unmeasured, type SliceHooks } from './sweep';
import { WeightOrigin } from './weightOrigin';

export async function weightSlice1d(
  model: Model,
  batch: DeviceBatch,
  d: WeightDirection,
  points: number,
  hooks: SliceHooks<WeightSlice1d> = {},
): Promise<WeightSlice1d> {
  const t0 = performance.now();
  const alphas = linspace(-1, 1, points);
  const out: WeightSlice1d = {
    kind: 'weight-1d',
    alphas,
    loss: [],
    acc: [],
    ...unmeasured('weight-1d', batch, { points }),
  };
  const origin = new WeightOrigin(model.params.map((p) => p.variable));
  try {
    const scoreRow = (i: number) => {
      origin.moveTo([d], [alphas[i]]);
      return batchScores(model, batch);
    };
    const store = (_: number, [loss, acc]: Float32Array) => {
      out.loss.push(loss);
      out.acc.push(acc);
    };
    return await sweep(out, alphas.length, scoreRow, store, hooks, t0);
  } finally {
    origin.dispose();
  }
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
    ...unmeasured('weight-2d', batch, { points }),
  };
  const origin = new WeightOrigin(model.params.map((p) => p.variable));
  try {
    const scoreRow = (i: number) =>
      tf.stack(
        betas.map((b) => {
          throwIfCancelled(hooks.signal);
          origin.moveTo([d1, d2], [alphas[i], b]);
          return batchScores(model, batch);
        }),
      );
    return await sweep(out, alphas.length, scoreRow, gridRows(out), hooks, t0);
  } finally {
    origin.dispose();
  }
}
