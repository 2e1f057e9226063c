import { describe, expect, it } from 'vitest';
import { rampColor, sharedScale, unscaleValue, scaleValue } from './colorScale';
import { contourLevels, marchingSquares } from './contours';

describe('marching squares', () => {
  it('puts the contour of a linear ramp exactly where the ramp crosses the level', () => {
    // f(x, y) = x on a 4 x 3 grid: the level 1.25 is the vertical line x = 1.25.
    const grid = [0, 1, 2, 3].map((x) => [x, x, x]);
    const segs = marchingSquares(grid, 1.25);
    expect(segs).toHaveLength(2);
    for (const s of segs) {
      expect(s.x1).toBeCloseTo(1.25, 12);
      expect(s.x2).toBeCloseTo(1.25, 12);
    }
    expect(segs.map((s) => [s.y1, s.y2].sort()).sort()).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('encloses the minimum of a bowl with segments on the circle of the level', () => {
    const n = 21;
    const grid = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i - 10) ** 2 + (j - 10) ** 2),
    );
    const segs = marchingSquares(grid, 36);
    expect(segs.length).toBeGreaterThan(20);
    // Linear interpolation across a cell puts the crossing within a fraction of a cell of radius 6.
    const radii = segs.flatMap((s) => [Math.hypot(s.x1 - 10, s.y1 - 10), Math.hypot(s.x2 - 10, s.y2 - 10)]);
    expect(Math.min(...radii)).toBeGreaterThan(5.8);
    expect(Math.max(...radii)).toBeLessThan(6.2);
  });

  it('resolves saddles into two segments, skips non-finite cells and missing rows', () => {
    expect(
      marchingSquares(
        [
          [1, 0],
          [0, 1],
        ],
        0.5,
      ),
    ).toHaveLength(2);
    expect(
      marchingSquares(
        [
          [NaN, 0],
          [1, 1],
        ],
        0.5,
      ),
    ).toHaveLength(0);
    // A partial 2-D result: only the first row has arrived.
    expect(marchingSquares([[0, 1]], 0.5)).toHaveLength(0);
    expect(contourLevels(0, 1, 3)).toEqual([0.25, 0.5, 0.75]);
    expect(contourLevels(1, 1, 3)).toEqual([]);
  });
});

describe('shared colour scale', () => {
  it('spans every finite value of every grid, in log units by default', () => {
    const s = sharedScale([[[0.1, 1]], [[10, Infinity, NaN]]], 'log');
    expect(s.lo).toBeCloseTo(-1, 12);
    expect(s.hi).toBeCloseTo(1, 12);
    expect(unscaleValue('log', scaleValue('log', 3))).toBeCloseTo(3, 12);
    expect(sharedScale([[[2, 2]]], 'linear')).toEqual({ kind: 'linear', lo: 1.5, hi: 2.5 });
  });

  it('runs the ramp from dark purple to yellow, clamped', () => {
    expect(rampColor(0)).toEqual([0x44, 0x01, 0x54]);
    expect(rampColor(1)).toEqual([0xfd, 0xe7, 0x25]);
    expect(rampColor(-3)).toEqual(rampColor(0));
  });
});
