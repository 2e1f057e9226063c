// The dataset's per-channel normalisation, (x - mean) / std over the last axis, done inside the
// model so that attacks and the UI work in the raw input range (pixels in [0, 1]).
import * as tf from '@tensorflow/tfjs';

export interface InputNormalizer {
  apply(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** `mean` and `std` hold one value per channel (the last axis of `shape`) or a single value for all. */
export function createInputNormalizer(shape: number[], mean: number[], std: number[]): InputNormalizer {
  const channels = shape[shape.length - 1];
  for (const [label, v] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (v.length !== channels && v.length !== 1) {
      throw new Error(
        `normalisation ${label} has ${v.length} values; the input has ${channels} channels (last axis of [${shape.join(', ')}])`,
      );
    }
  }
  if (std.some((s) => !(s > 0) || !Number.isFinite(s)))
    throw new Error(`normalisation std must be positive, got [${std.join(', ')}]`);
  const perChannel = (v: number[]) => (v.length === 1 ? new Array<number>(channels).fill(v[0]) : v);
  const m = perChannel(mean);
  const s = perChannel(std);
  // x * (1/std) + (-mean/std): two elementwise ops, constants uploaded once.
  const scale = tf.keep(tf.tensor1d(s.map((si) => 1 / si)));
  const shift = tf.keep(tf.tensor1d(m.map((mi, i) => -mi / s[i])));
  return {
    apply: (x) => tf.add(tf.mul(x, scale), shift),
    dispose: () => {
      scale.dispose();
      shift.dispose();
    },
  };
}
