import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { DEFAULT_FEATURE_SET } from '../spec';
import { channelStats, classCounts } from './stats';
import { SHAPES_CLASSES, SHAPES_MEAN, SHAPES_STD, shapesSet } from './shapes';
import { featureSet } from './featureSet';
import { examplesAsFloat } from './dataset';

/** Accuracy of predicting y = 1 when the summed features in [from, to) are > 0, after adding shift * (-sign y) to each. */
function groupAccuracy(x: Float32Array, y: Uint8Array, d: number, from: number, to: number, shift = 0): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    const s = y[i] === 1 ? 1 : -1;
    let sum = 0;
    for (let j = from; j < to; j++) sum += x[i * d + j] - shift * s;
    if ((sum > 0 ? 1 : 0) === y[i]) right++;
  }
  return right / y.length;
}

describe('toy robust / non-robust features', () => {
  const n = 20_000;
  const ds = featureSet(DEFAULT_FEATURE_SET, n, new Rng(3));
  const d = DEFAULT_FEATURE_SET.robustDims + DEFAULT_FEATURE_SET.nonRobustDims;
  const R = DEFAULT_FEATURE_SET.robustDims;

  it('is balanced, unbounded, identity-normalised and the same per seed', () => {
    expect(ds.shape).toEqual([d]);
    expect(classCounts(ds.y, 2)).toEqual([n / 2, n / 2]);
    expect(ds.bounded).toBe(false);
    expect(ds.mean).toEqual(new Array(d).fill(0));
    expect(ds.std).toEqual(new Array(d).fill(1));
    expect(featureSet(DEFAULT_FEATURE_SET, 50, new Rng(3)).x).toEqual(
      featureSet(DEFAULT_FEATURE_SET, 50, new Rng(3)).x,
    );
    expect(featureSet(DEFAULT_FEATURE_SET, 50, new Rng(4)).x).not.toEqual(
      featureSet(DEFAULT_FEATURE_SET, 50, new Rng(3)).x,
    );
  });

  it('has each feature at y * shift with the given noise', () => {
    const m = [0, 0];
    for (let i = 0; i < n; i++) {
      const s = ds.y[i] === 1 ? 1 : -1;
      m[0] += s * ds.x[i * d]; // a robust feature
      m[1] += s * ds.x[i * d + R]; // a non-robust one
    }
    expect(m[0] / n).toBeCloseTo(DEFAULT_FEATURE_SET.robustShift, 1); // sd of the estimate 2 / sqrt(n) = 0.014
    expect(m[1] / n).toBeCloseTo(DEFAULT_FEATURE_SET.nonRobustShift, 2);
  });

  it('robust features predict worse together but survive an eps = nonRobustShift shift; non-robust ones do not', () => {
    // Defaults: robust sum ~ N(4y, 16): Phi(1) = 0.84; non-robust sum ~ N(2y, 0.8): Phi(2.24) = 0.99.
    const robust = groupAccuracy(examplesAsFloat(ds), ds.y, d, 0, R);
    const nonRobust = groupAccuracy(examplesAsFloat(ds), ds.y, d, R, d);
    expect(robust).toBeGreaterThan(0.82);
    expect(robust).toBeLessThan(0.86);
    expect(nonRobust).toBeGreaterThan(0.98);
    // Shift every feature by eps = nonRobustShift towards the wrong class.
    const eps = DEFAULT_FEATURE_SET.nonRobustShift;
    expect(groupAccuracy(examplesAsFloat(ds), ds.y, d, R, d, eps)).toBeCloseTo(0.5, 1); // erased: mean 0
    expect(groupAccuracy(examplesAsFloat(ds), ds.y, d, 0, R, eps)).toBeGreaterThan(0.8); // Phi(0.9) = 0.82
  });

  it('per feature, sign(x) is less accurate on a robust feature when robustShift / robustNoise is smaller', () => {
    const p = { ...DEFAULT_FEATURE_SET, robustShift: 1, robustNoise: 4, nonRobustShift: 0.1, nonRobustNoise: 0.1 };
    const t = featureSet(p, n, new Rng(1));
    const dd = p.robustDims + p.nonRobustDims;
    const robust = groupAccuracy(examplesAsFloat(t), t.y, dd, 0, 1); // Phi(0.25) = 0.60
    const nonRobust = groupAccuracy(examplesAsFloat(t), t.y, dd, p.robustDims, p.robustDims + 1); // Phi(1) = 0.84
    expect(robust).toBeLessThan(0.63);
    expect(nonRobust).toBeGreaterThan(0.82);
  });
});

describe('shapes', () => {
  it('draws balanced 32x32x3 images in [0, 1], the same per seed', () => {
    const a = shapesSet(40, new Rng(7));
    expect(a.shape).toEqual([32, 32, 3]);
    expect(classCounts(a.y, SHAPES_CLASSES.length)).toEqual(new Array(8).fill(5));
    expect(a.x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(shapesSet(40, new Rng(7)).x).toEqual(a.x);
    expect(shapesSet(40, new Rng(8)).x).not.toEqual(a.x);
  });

  it('has the per-channel mean and std it declares', () => {
    // Colours vary per image: a 400-image mean has sd ~0.17 / sqrt(400) = 0.009 per channel, so
    // the channel average is checked within 0.02 (~3.5 sd of the average), each std within 0.015.
    const ds = shapesSet(400, new Rng(11));
    const pixels = Uint8Array.from(ds.x, (v) => Math.round(v * 255));
    const { mean, std } = channelStats({ shape: [32, 32, 3], pixels, labels: ds.y, n: ds.n });
    expect(Math.abs((mean[0] + mean[1] + mean[2]) / 3 - SHAPES_MEAN[0])).toBeLessThan(0.02);
    std.forEach((s, c) => expect(Math.abs(s - SHAPES_STD[c])).toBeLessThan(0.015));
  });
});
