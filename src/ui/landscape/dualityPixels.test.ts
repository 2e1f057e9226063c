import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../core/landscape/resultFixtures';
import type { DualityResult } from '../../core/landscape/results';
import { channelMean, diverging, dualityRows, imageCosine, mapRgba } from './dualityPixels';

describe('duality grid pixels', () => {
  it('maps -1, 0, 1 to blue, white, red, and clamps beyond', () => {
    expect(diverging(-1)).toEqual([0x21, 0x66, 0xac]);
    expect(diverging(0)).toEqual([0xf7, 0xf7, 0xf7]);
    expect(diverging(1)).toEqual([0xb2, 0x18, 0x2b]);
    expect(diverging(5)).toEqual(diverging(1));
  });

  it('draws each perturbation as its channel mean on one symmetric scale per row', () => {
    const sam = sampleResults().duality as DualityResult;
    // Image 0 of shape [1, 2, 1]: d = [0.001, -0.002], delta = [2, -2] / 255.
    expect(Array.from(channelMean(sam.d, sam.shape, 0))).toEqual([Math.fround(0.001), Math.fround(-0.002)]);
    const [row] = dualityRows(sam);
    expect(row.scale).toBeCloseTo(2 / 255, 9);
    const at = { ...sam, delta: sam.delta.map((v) => 3 * v) };
    expect(dualityRows(sam, at)[0].scale).toBeCloseTo(6 / 255, 9);
    // The largest value is the end of the scale; 0 everywhere draws white.
    expect(Array.from(mapRgba(row.maps.delta, row.scale).slice(0, 4))).toEqual([0xb2, 0x18, 0x2b, 255]);
    expect(Array.from(mapRgba(new Float32Array(2), 0).slice(0, 3))).toEqual([0xf7, 0xf7, 0xf7]);
  });

  it('gives cos(a, b) per image, 0 for a zero vector', () => {
    expect(imageCosine([1, 0, 0, 0], [1, 0, 0, 1], 2, 0)).toBeCloseTo(1, 12);
    expect(imageCosine([1, 0, 0, 0], [1, 0, 0, 1], 2, 1)).toBe(0);
    expect(imageCosine([1, 1, 2, 0], [1, 1, 0, 2], 2, 1)).toBeCloseTo(0, 12);
  });
});
