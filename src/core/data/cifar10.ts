// CIFAR-10 in its official binary record format: each 3,073-byte record is 1 label byte, then the
// 32x32 red plane, the green plane and the blue plane (planar, row-major). Batches are
// data_batch_1..5.bin (training) and test_batch.bin, plain, gzipped, or inside the official
// cifar-10-binary.tar.gz under cifar-10-batches-bin/.
import { isGzip, maybeGunzip } from './gzip';
import type { ByteImages } from './images';
import { readTar } from './tar';

export const CIFAR10_SIDE = 32;
const PLANE = CIFAR10_SIDE * CIFAR10_SIDE;
export const CIFAR10_RECORD_BYTES = 1 + 3 * PLANE;
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';
const TAR_DIR = 'cifar-10-batches-bin';

/** One batch file (plain or gzipped) as NHWC bytes: the planar RGB of each record interleaved. */
export function parseCifar10Batch(data: Uint8Array, what = 'CIFAR-10 batch'): ByteImages {
  const bytes = maybeGunzip(data, what);
  if (bytes.length === 0) throw new Error(`${what} is empty`);
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new Error(
      `${what} has ${bytes.length} bytes, not a whole number of ${CIFAR10_RECORD_BYTES}-byte records: truncated, or not a CIFAR-10 binary batch`,
    );
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const pixels = new Uint8Array(n * 3 * PLANE);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * CIFAR10_RECORD_BYTES;
    const label = bytes[r];
    if (label > 9) throw new Error(`${what}: record ${i} has label ${label}, outside 0..9`);
    labels[i] = label;
    const out = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + 3 * p] = bytes[r + 1 + p];
      pixels[out + 3 * p + 1] = bytes[r + 1 + PLANE + p];
      pixels[out + 3 * p + 2] = bytes[r + 1 + 2 * PLANE + p];
    }
  }
  return { shape: [CIFAR10_SIDE, CIFAR10_SIDE, 3], pixels, labels, n };
}

/** The raw batch files (training batches 1..5 in order, and the test batch) inside the official tarball (gzipped or not). */
export function cifar10BatchesFromTar(data: Uint8Array): { train: Uint8Array[]; test: Uint8Array } {
  const members = readTar(isGzip(data) ? maybeGunzip(data, 'CIFAR-10 tarball') : data);
  const get = (file: string): Uint8Array => {
    const m = members.get(`${TAR_DIR}/${file}`);
    if (!m) {
      const names = [...members.keys()].slice(0, 5).join(', ') || 'none';
      throw new Error(
        `CIFAR-10 tarball has no member ${TAR_DIR}/${file} (members: ${names}): not the official cifar-10-binary.tar.gz`,
      );
    }
    return m;
  };
  return { train: CIFAR10_TRAIN_FILES.map(get), test: get(CIFAR10_TEST_FILE) };
}
