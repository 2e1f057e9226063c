import { describe, expect, it } from 'vitest';
import type { DatasetSplit } from '../core/data/dataset';
import { imagesToDataset } from '../core/data/images';
import { blobSplit } from '../core/train/testFixtures';
import { packSplit, shareSplit, splitBuffers, unpackSplit } from './dataTransfer';

const meta = { name: 'bytes', numClasses: 2, classNames: ['a', 'b'], mean: [0.5], std: [0.25] };
/** Every byte value, through the image parsers' own conversion. */
const images = (): DatasetSplit => {
  const set = imagesToDataset(
    { shape: [16, 16, 1], pixels: Uint8Array.from({ length: 256 }, (_, i) => i), labels: new Uint8Array(1), n: 1 },
    meta,
  );
  return { train: set, test: set };
};
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('data transfer', () => {
  it("packs the image parsers' values as bytes and unpacks them to the same float32 bits", () => {
    const d = images();
    const packed = packSplit(d);
    expect(packed.train.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(packed.train.x)).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(bits(unpackSplit(packed).train.x)).toEqual(bits(d.train.x));
  });

  it('keeps values that are not bytes as float32 (generated data; a -0 too), copied', () => {
    const blobs = blobSplit('image');
    const packed = packSplit(blobs);
    expect(packed.train.x).toBeInstanceOf(Float32Array);
    expect(packed.train.x).not.toBe(blobs.train.x);
    expect(bits(unpackSplit(packed).train.x)).toEqual(bits(blobs.train.x));
    const negZero = images();
    negZero.train = { ...negZero.train, x: Float32Array.from(negZero.train.x, (v, i) => (i === 0 ? -0 : v)) };
    expect(packSplit(negZero).train.x).toBeInstanceOf(Float32Array);
  });

  it('shares a split in SharedArrayBuffers, equal to it, and transfers none of them', () => {
    const d = blobSplit('image');
    const shared = shareSplit(d);
    for (const a of [shared.train.x, shared.train.y, shared.test.x, shared.test.y])
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bits(shared.train.x)).toEqual(bits(d.train.x));
    expect(Array.from(shared.test.y)).toEqual(Array.from(d.test.y));
    expect(unpackSplit(shared).train.x).toBe(shared.train.x);
    expect(splitBuffers(shared)).toEqual([]);
    expect(splitBuffers(packSplit(d))).toHaveLength(4);
  });
});
