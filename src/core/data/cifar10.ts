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

/** Where a reader puts each whole record: its label and its 32x32x3 pixels, interleaved (HWC), valid during the call. */
export type Cifar10RecordSink = (label: number, pixels: Uint8Array) => void;

/**
 * Reads a batch file's records as its (plain) bytes come, in chunks of any size: each record goes to
 * `sink` as soon as it is whole, so neither the file nor a parsed copy of it need be held. `end`
 * checks that the file held whole records and returns how many.
 */
export function cifar10RecordReader(sink: Cifar10RecordSink, what = 'CIFAR-10 batch') {
  const record = new Uint8Array(CIFAR10_RECORD_BYTES); // a record split between chunks
  let filled = 0;
  let records = 0;
  let bytes = 0;
  const pixels = new Uint8Array(3 * PLANE);
  const take = (from: Uint8Array, r: number) => {
    const label = from[r];
    if (label > 9) throw new Error(`${what}: record ${records} has label ${label}, outside 0..9`);
    for (let p = 0; p < PLANE; p++) {
      pixels[3 * p] = from[r + 1 + p];
      pixels[3 * p + 1] = from[r + 1 + PLANE + p];
      pixels[3 * p + 2] = from[r + 1 + 2 * PLANE + p];
    }
    sink(label, pixels);
    records++;
  };
  return {
    write(chunk: Uint8Array): void {
      bytes += chunk.length;
      let at = 0;
      if (filled > 0) {
        const n = Math.min(CIFAR10_RECORD_BYTES - filled, chunk.length);
        record.set(chunk.subarray(0, n), filled);
        filled += n;
        at = n;
        if (filled < CIFAR10_RECORD_BYTES) return;
        take(record, 0);
        filled = 0;
      }
      for (; at + CIFAR10_RECORD_BYTES <= chunk.length; at += CIFAR10_RECORD_BYTES) take(chunk, at);
      record.set(chunk.subarray(at), 0);
      filled = chunk.length - at;
    },
    end(): number {
      if (bytes === 0) throw new Error(`${what} is empty`);
      if (filled > 0)
        throw new Error(
          `${what} has ${bytes} bytes, not a whole number of ${CIFAR10_RECORD_BYTES}-byte records: truncated, or not a CIFAR-10 binary batch`,
        );
      return records;
    },
  };
}

/** One batch file (plain or gzipped) as NHWC bytes: the planar RGB of each record interleaved. */
export function parseCifar10Batch(data: Uint8Array, what = 'CIFAR-10 batch'): ByteImages {
  const bytes = maybeGunzip(data, what);
  const n = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
  const pixels = new Uint8Array(n * 3 * PLANE);
  const labels = new Uint8Array(n);
  let i = 0;
  const reader = cifar10RecordReader((label, hwc) => {
    labels[i] = label;
    pixels.set(hwc, i++ * 3 * PLANE);
  }, what);
  reader.write(bytes);
  reader.end();
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
