import { describe, expect, it } from 'vitest';
import { fitDomain, niceStep } from './fitDomain';
import { niceTicks } from './svgChart';

describe('fitDomain', () => {
  it('zooms onto points bunched near 100 %, ending on round ticks with a margin', () => {
    const [lo, hi] = fitDomain([0.962, 0.971, 0.958], 6);
    // 5 points of range at least, centred on the data, then out to whole percents.
    expect([lo, hi]).toEqual([0.93, 0.99]);
    expect(niceTicks(lo, hi, 6)).toEqual([0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99]);
  });

  it('keeps a margin on both sides of points in the middle', () => {
    const [lo, hi] = fitDomain([0.31, 0.45, 0.52]);
    // 15 % of the span each side (0.2785-0.5515), then out to the 0.1 step that range takes.
    expect([lo, hi]).toEqual([0.2, 0.6]);
    const step = niceStep(hi - lo, 5);
    expect(Math.abs(lo / step - Math.round(lo / step))).toBeLessThan(1e-9);
    expect(Math.abs(hi / step - Math.round(hi / step))).toBeLessThan(1e-9);
  });

  it('never leaves [0, 1] and keeps its width at an end', () => {
    expect(fitDomain([0, 0.01])).toEqual([0, 0.05]);
    expect(fitDomain([1, 1])).toEqual([0.95, 1]);
    expect(fitDomain([0, 1])).toEqual([0, 1]);
  });

  it('shows at least 5 points of range for equal values, and the full range without any', () => {
    const [lo, hi] = fitDomain([0.5, 0.5, NaN]);
    expect(hi - lo).toBeGreaterThanOrEqual(0.05 - 1e-12);
    expect(lo).toBeLessThan(0.5);
    expect(hi).toBeGreaterThan(0.5);
    expect(fitDomain([])).toEqual([0, 1]);
    expect(fitDomain([NaN])).toEqual([0, 1]);
  });

  it('niceStep picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0.07, 6)).toBe(0.02);
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(0.05, 5)).toBe(0.01);
  });
});
