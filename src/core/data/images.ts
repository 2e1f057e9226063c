// Labelled images as bytes, the form every image parser returns. A full set stays in bytes
// (CIFAR-10's 50,000 training images are 150 MB as bytes but 600 MB as float32); only the
// subset a run uses becomes a float32 Dataset.
import type { Dataset } from './dataset';

export interface ByteImages {
  /** [h, w, c] of one image. */
  shape: [number, number, number];
  /** Pixels 0..255, NHWC, row-major. */
  pixels: Uint8Array;
  /** Labels 0..numClasses-1. */
  labels: Uint8Array;
  n: number;
}

/** What a dataset is, apart from its examples. */
export interface DatasetMeta {
  name: string;
  numClasses: number;
  classNames: string[];
  mean: number[];
  std: number[];
}

/** Joins image sets of one shape end to end (e.g. CIFAR-10's five training batches). */
export function concatImages(parts: ByteImages[]): ByteImages {
  if (parts.length === 0) throw new Error('concatImages: no image sets given');
  const [h, w, c] = parts[0].shape;
  for (const p of parts) {
    if (p.shape[0] !== h || p.shape[1] !== w || p.shape[2] !== c)
      throw new Error(`concatImages: shapes differ: ${parts[0].shape} and ${p.shape}`);
  }
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, p) => s + p.n, 0);
  const pixels = new Uint8Array(n * h * w * c);
  const labels = new Uint8Array(n);
  let i = 0;
  for (const p of parts) {
    pixels.set(p.pixels, i * h * w * c);
    labels.set(p.labels, i);
    i += p.n;
  }
  return { shape: [h, w, c], pixels, labels, n };
}

/** The Dataset of the images at `indices` (all, in order, when omitted): their bytes, read as pixels / 255 in [0, 1]. */
export function imagesToDataset(images: ByteImages, meta: DatasetMeta, indices?: ArrayLike<number>): Dataset {
  const size = images.shape[0] * images.shape[1] * images.shape[2];
  const n = indices ? indices.length : images.n;
  const x = new Uint8Array(n * size);
  const y = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices ? indices[k] : k;
    x.set(images.pixels.subarray(i * size, (i + 1) * size), k * size);
    y[k] = images.labels[i];
  }
  const { name, numClasses, classNames, mean, std } = meta;
  return {
    name,
    shape: [...images.shape],
    numClasses,
    classNames: [...classNames],
    x,
    y,
    n,
    bounded: true,
    mean: [...mean],
    std: [...std],
  };
}
