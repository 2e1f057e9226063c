import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES, parseCifar10Batch } from './cifar10';
import { concatImages } from './images';
import type { ManifestEntry } from './manifest';
import { sourceBuilder, sourceFromFiles } from './source';

/** A CIFAR-10 batch of n records, label i % 10, pixels from the seed. */
const batch = (n: number, seed: number) =>
  Uint8Array.from({ length: n * CIFAR10_RECORD_BYTES }, (_, k) =>
    k % CIFAR10_RECORD_BYTES === 0 ? (k / CIFAR10_RECORD_BYTES) % 10 : (k * 31 + seed * 7) & 255,
  );
const files = new Map([
  ['c/b1.bin', batch(3, 1)],
  ['c/b2.bin', batch(2, 2)],
  ['c/t.bin', batch(2, 3)],
]);
const entry = (train: number): ManifestEntry =>
  ({
    name: 'cifar10',
    classNames: Array.from({ length: 10 }, (_, i) => `c${i}`),
    shape: [32, 32, 3],
    train,
    test: 2,
    files: [...files.keys()].map((path) => ({
      path,
      role: path.endsWith('t.bin') ? 'test' : 'train',
      format: 'cifar10-bin',
      bytes: 0,
      sha256: '',
    })),
  }) as unknown as ManifestEntry;

describe('file source', () => {
  it("joins a role's batches, added one at a time, as the parsed batches end to end, whatever the manifest's count", () => {
    const joined = concatImages([parseCifar10Batch(files.get('c/b1.bin')!), parseCifar10Batch(files.get('c/b2.bin')!)]);
    for (const count of [5, 4, 9]) {
      const source = sourceFromFiles(entry(count), files);
      if (source.kind !== 'split') throw new Error('not a split');
      expect(source.train.n).toBe(5);
      expect(Array.from(source.train.pixels)).toEqual(Array.from(joined.pixels));
      expect(Array.from(source.train.labels)).toEqual(Array.from(joined.labels));
      expect(Array.from(source.test.labels)).toEqual([0, 1]);
    }
  });

  it('parses a batch streamed in chunks of any size as the whole file, records spanning chunks', () => {
    const whole = sourceFromFiles(entry(5), files);
    for (const size of [1, 100, CIFAR10_RECORD_BYTES + 1, 1 << 20]) {
      const b = sourceBuilder(entry(5));
      for (const [path, bytes] of files) {
        const s = b.stream(path);
        for (let at = 0; at < bytes.length; at += size) s.write(bytes.subarray(at, at + size));
        s.end();
      }
      expect(b.done()).toEqual(whole);
    }
    const cut = sourceBuilder(entry(5)).stream('c/b1.bin');
    cut.write(files.get('c/b1.bin')!.subarray(0, 100));
    expect(() => cut.end()).toThrow('c/b1.bin has 100 bytes, not a whole number of 3073-byte records');
  });

  it('names a file that was not added, and one the manifest does not list', () => {
    const b = sourceBuilder(entry(5));
    b.add('c/b1.bin', files.get('c/b1.bin')!);
    b.add('c/t.bin', files.get('c/t.bin')!);
    expect(() => b.done()).toThrow('c/b2.bin was not loaded');
    expect(() => b.add('c/other.bin', files.get('c/t.bin')!)).toThrow('not in the manifest');
  });
});
