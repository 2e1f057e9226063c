// Mini-batches for training: a fresh seeded permutation each epoch, a fixed batch size, and
// optional image augmentation (random crop with zero padding + horizontal flip).
//
// The order comes from rng.derive('batches') and the augmentation from rng.derive('augment'), with
// `rng` the experiment's root Rng(spec.seed), so every run of an experiment sees the same batches.
// The last partial batch of an epoch is dropped: shapes stay fixed in the hot loop (no re-tracing
// or re-compiling kernels for an odd-sized batch).
import type { Rng } from '../rng';
import { copyRows, type Dataset } from './dataset';

/** Pixels of zero padding on each side before the random crop (the CIFAR recipe: pad 4, crop back). */
export const AUGMENT_PAD = 4;

export interface Batch {
  /** Inputs, row-major [size, ...dataset.shape]. A fresh array each batch: tensors may alias it. */
  x: Float32Array;
  /** Labels 0..numClasses-1. */
  y: Int32Array;
  size: number;
}

export interface BatchSamplerOptions {
  /** Random crop + flip; only valid for image datasets ([h, w, c]). */
  augment: boolean;
}

export class BatchSampler {
  readonly batchesPerEpoch: number;
  private readonly order: Rng;
  private readonly augmentRng: Rng | null;
  private readonly exampleSize: number;
  private permutation: Int32Array = new Int32Array(0);
  private cursor = 0;
  private epochsStarted = 0;

  constructor(
    private readonly data: Dataset,
    readonly batchSize: number,
    rng: Rng,
    options: BatchSamplerOptions,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    if (batchSize > data.n) throw new Error(`batch size ${batchSize} exceeds the ${data.n} training examples`);
    if (options.augment && data.shape.length !== 3) {
      throw new Error(
        `augmentation needs images [h, w, c]; ${data.name} has examples of shape [${data.shape.join(', ')}]`,
      );
    }
    this.batchesPerEpoch = Math.floor(data.n / batchSize);
    this.order = rng.derive('batches');
    this.augmentRng = options.augment ? rng.derive('augment') : null;
    this.exampleSize = data.shape.reduce((a, b) => a * b, 1);
  }

  /** Epochs begun so far (a new permutation is drawn at the start of each). */
  get epoch(): number {
    return this.epochsStarted;
  }

  next(): Batch {
    if (this.cursor === 0) {
      this.permutation = this.order.permutation(this.data.n);
      this.cursor = 0;
      this.epochsStarted++;
    }
    const { batchSize, exampleSize, data } = this;
    const x = new Float32Array(batchSize * exampleSize);
    const y = new Int32Array(batchSize);
    for (let b = 0; b < batchSize; b++) {
      const i = this.permutation[this.cursor + b];
      y[b] = data.y[i];
      if (this.augmentRng)
        augmentInto(
          data.x.subarray(i * exampleSize, (i + 1) * exampleSize),
          x.subarray(b * exampleSize, (b + 1) * exampleSize),
          data.shape,
          this.augmentRng,
        );
      else copyRows(data, i, 1, x, b);
    }
    this.cursor += batchSize;
    if (this.cursor + batchSize > data.n) this.cursor = 0;
    return { x, y, size: batchSize };
  }
}

/**
 * Writes one augmented image: the image padded by AUGMENT_PAD zeros on each side, an h x w window
 * at a uniform offset in [0, 2 * pad], mirrored left-right with probability 1/2.
 */
export function augmentInto(src: Float32Array | Uint8Array, dst: Float32Array, shape: number[], rng: Rng): void {
  // Bytes b stand for b / 255 (Dataset.x).
  const scale = src instanceof Uint8Array ? 255 : 1;
  const [h, w, c] = shape;
  const dy = rng.int(2 * AUGMENT_PAD + 1) - AUGMENT_PAD;
  const dx = rng.int(2 * AUGMENT_PAD + 1) - AUGMENT_PAD;
  const flip = rng.uniform() < 0.5;
  for (let r = 0; r < h; r++) {
    const sr = r + dy;
    for (let col = 0; col < w; col++) {
      const sc = (flip ? w - 1 - col : col) + dx;
      const o = (r * w + col) * c;
      if (sr < 0 || sr >= h || sc < 0 || sc >= w) {
        for (let k = 0; k < c; k++) dst[o + k] = 0;
      } else {
        const s = (sr * w + sc) * c;
        for (let k = 0; k < c; k++) dst[o + k] = scale === 1 ? src[s + k] : src[s + k] / scale;
      }
    }
  }
}
