// Random directions in weight space with filter normalisation (Li et al., 2018, "Visualizing the
// Loss Landscape of Neural Nets", section 4): d ~ N(0, I), then each filter d_ij of d is rescaled to
//   d_ij <- d_ij / ||d_ij|| * ||w_ij||
// so a step of 1 along d moves every filter by its own size and scale-invariant networks (ReLU,
// BatchNorm) of different weight norms can be compared. A filter is one output channel: the slice
// of a conv kernel [kh, kw, cIn, cOut] at one cOut, the column of a dense weight [in, out] at one
// output unit; both are "all axes but the last". Biases and BatchNorm gamma/beta get d = 0 (as in
// the paper's code, which leaves them out of the plot).
//
// The Gaussian draws come from the Rng on the CPU, one parameter after another in model order, so
// every run of an experiment (same architecture, same seed) draws the same raw directions and
// only the normalisation, from each run's own weights, differs.
import * as tf from '@tensorflow/tfjs';
import type { Model, Param } from '../model/model';
import { Rng } from '../rng';

/** One tensor per model parameter, model.params order. */
export type WeightDirection = tf.Tensor[];

/** Guards the division by a filter norm of the random draw (never 0 in practice). */
const TINY = 1e-12;

export const isFiltered = (p: Param) => p.kind === 'conv' || p.kind === 'dense';

/** ||x||_2 of each filter (all axes but the last), shaped to broadcast against x. */
export function filterNorms(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    return tf.sqrt(tf.sum(tf.square(x), axes, true));
  });
}

/** A filter-normalised Gaussian direction at the model's current weights; draws from `rng`. */
export function filterNormalizedDirection(model: Model, rng: Rng): WeightDirection {
  return model.params.map((p) => {
    if (!isFiltered(p)) return tf.zerosLike(p.variable);
    const raw = rng.fillNormal(new Float32Array(p.variable.size));
    return tf.tidy(() => {
      const d = tf.tensor(raw, p.variable.shape, 'float32');
      return tf.mul(d, tf.div(filterNorms(p.variable), tf.add(filterNorms(d), TINY)));
    });
  });
}

/** The experiment's `count` directions at the model's weights, from Rng(seed).derive('landscape-dir'); the first is the 1-D slice's. */
export function landscapeDirections(model: Model, seed: number, count: number): WeightDirection[] {
  const rng = new Rng(seed).derive('landscape-dir');
  return Array.from({ length: count }, () => filterNormalizedDirection(model, rng));
}

export function disposeDirections(dirs: WeightDirection[]): void {
  for (const d of dirs) tf.dispose(d);
}
