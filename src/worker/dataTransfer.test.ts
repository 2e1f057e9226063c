import { describe, expect, it } from 'vitest';
import { examplesAsFloat, type DatasetSplit } from '../core/data/dataset';
import { imagesToDataset } from '../core/data/images';
import { blobSplit } from '../core/train/testFixtures';
import { packSplit, shareSplit, splitBuffers } from './dataTransfer';

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
  it('copies image bytes as bytes, and float32 values that are bytes / 255 as bytes read back to the same bits', () => {
    const d = images();
    const packed = packSplit(d);
    expect(packed.train.x).toBeInstanceOf(Uint8Array);
    expect(packed.train.x).not.toBe(d.train.x);
    expect(Array.from(packed.train.x)).toEqual(Array.from({ length: 256 }, (_, i) => i));
    const floats = { ...d.train, x: examplesAsFloat(d.train) };
    expect(floats.x).toBeInstanceOf(Float32Array);
    const repacked = packSplit({ train: floats, test: floats });
    expect(repacked.train.x).toBeInstanceOf(Uint8Array);
    expect(bits(examplesAsFloat(repacked.train))).toEqual(bits(floats.x));
  });

  it('keeps values that are not bytes as float32 (generated data; a -0 too), copied', () => {
    const blobs = blobSplit('image');
    const packed = packSplit(blobs);
    expect(packed.train.x).toBeInstanceOf(Float32Array);
    expect(packed.train.x).not.toBe(blobs.train.x);
    expect(bits(examplesAsFloat(packed.train))).toEqual(bits(examplesAsFloat(blobs.train)));
    const negZero = images();
    negZero.train = {
      ...negZero.train,
      x: Float32Array.from(examplesAsFloat(negZero.train), (v, i) => (i === 0 ? -0 : v)),
    };
    expect(packSplit(negZero).train.x).toBeInstanceOf(Float32Array);
  });

  it('shares a split in SharedArrayBuffers, equal to it, and transfers none of them', () => {
    const d = blobSplit('image');
    const shared = shareSplit(d);
    for (const a of [shared.train.x, shared.train.y, shared.test.x, shared.test.y])
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bits(examplesAsFloat(shared.train))).toEqual(bits(examplesAsFloat(d.train)));
    expect(Array.from(shared.test.y)).toEqual(Array.from(d.test.y));
    const bytes = shareSplit(images());
    expect(bytes.train.x).toBeInstanceOf(Uint8Array);
    expect(bytes.train.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(splitBuffers(shared)).toEqual([]);
    expect(splitBuffers(packSplit(d))).toHaveLength(4);
  });
});
