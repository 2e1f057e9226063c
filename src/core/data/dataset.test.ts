import { describe, expect, it } from 'vitest';
import { copyRows, examplesAsFloat, type Dataset } from './dataset';
import { imagesToDataset } from './images';
import { selectExamples } from './subset';

const meta = { name: 'bytes', numClasses: 2, classNames: ['a', 'b'], mean: [0.5], std: [0.25] };
/** Four 8x8 grey images holding every byte value once, labels 0, 1, 0, 1. */
const images = (): Dataset =>
  imagesToDataset(
    {
      shape: [8, 8, 1],
      pixels: Uint8Array.from({ length: 256 }, (_, i) => i),
      labels: Uint8Array.from([0, 1, 0, 1]),
      n: 4,
    },
    meta,
  );
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('dataset examples', () => {
  it('keeps images as their bytes and reads them as the float32 values b / 255, bit for bit', () => {
    const set = images();
    expect(set.x).toBeInstanceOf(Uint8Array);
    const expected = Float32Array.from({ length: 256 }, (_, b) => b / 255);
    expect(bits(examplesAsFloat(set))).toEqual(bits(expected));
    // Rows 1-2 into a batch at row 1 of 4: the rest stays as it was.
    const out = new Float32Array(4 * 64).fill(7);
    copyRows(set, 1, 2, out, 1);
    expect(bits(out.subarray(64, 192))).toEqual(bits(expected.subarray(64, 192)));
    expect([out[0], out[63], out[192], out[255]]).toEqual([7, 7, 7, 7]);
  });

  it('copies float32 examples as they are, and a subset keeps the examples in their form', () => {
    const set = images();
    const fx = Float32Array.from({ length: 256 }, (_, i) => Math.fround(i / 1000) - 0.1);
    const floats: Dataset = { ...set, x: fx };
    expect(examplesAsFloat(floats)).toBe(floats.x);
    const out = new Float32Array(64);
    copyRows(floats, 3, 1, out);
    expect(bits(out)).toEqual(bits(fx.subarray(192, 256)));
    const picked = selectExamples(set, [3, 0]);
    expect(picked.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(picked.x.subarray(0, 64))).toEqual(Array.from(set.x.subarray(192, 256)));
    expect(Array.from(picked.y)).toEqual([1, 0]);
    expect(selectExamples(floats, [1]).x).toBeInstanceOf(Float32Array);
  });
});
