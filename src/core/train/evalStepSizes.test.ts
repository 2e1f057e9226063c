import { describe, expect, it } from 'vitest';
import { evalStepSizes } from './evalStepSizes';

describe('the evaluation attack step sizes', () => {
  it.each([1, 2, 3, 10, 50])('k = %i: k steps, the first past eps, shrinking to about eps/16', (k) => {
    const eps = 8 / 255;
    const a = evalStepSizes(eps, k, 'cosine');
    expect(a).toHaveLength(k);
    // From anywhere in the ball, the first step alone reaches its edge.
    expect(a[0]).toBeGreaterThan(eps);
    for (let i = 1; i < k; i++) expect(a[i]).toBeLessThan(a[i - 1]);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(eps / 16);
    if (k >= 10) expect(a[k - 1]).toBeLessThan(eps / 8);
    // From 3 steps on, enough path in all to cross the ball and come back (2 eps).
    if (k >= 3) expect(a.reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(2 * eps);
  });

  it('is the published formula: eps/16 + (eps/2)(1 + cos(pi i/k))', () => {
    const want = [1 / 16 + 1, 1 / 16 + 0.5 * (1 + Math.SQRT1_2), 1 / 16 + 0.5, 1 / 16 + 0.5 * (1 - Math.SQRT1_2)];
    evalStepSizes(1, 4, 'cosine').forEach((a, i) => expect(a).toBeCloseTo(want[i], 12));
    expect(evalStepSizes(0, 3, 'cosine')).toEqual([0, 0, 0]);
    expect(evalStepSizes(0.1, 0, 'cosine')).toEqual([]);
  });
});
