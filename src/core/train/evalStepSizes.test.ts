import { describe, expect, it } from 'vitest';
import { evalStepSizes } from './evalStepSizes';

describe('the evaluation attack step sizes', () => {
  it.each([
    ['cosine', 2],
    ['cosine-eps', 1],
  ] as const)('%s: k steps, the first past %i eps, shrinking to about eps/16', (schedule, start) => {
    for (const k of [1, 2, 3, 10, 50]) {
      const eps = 8 / 255;
      const a = evalStepSizes(eps, k, schedule);
      expect(a).toHaveLength(k);
      // From anywhere in the ball, the first step alone reaches its edge ('cosine': and crosses it, as APGD's 2 eps).
      expect(a[0]).toBeGreaterThan(start * eps);
      for (let i = 1; i < k; i++) expect(a[i]).toBeLessThan(a[i - 1]);
      expect(Math.min(...a)).toBeGreaterThanOrEqual(eps / 16);
      if (k >= 10) expect(a[k - 1]).toBeLessThan(eps / 8);
      // From 3 steps on, enough path in all to cross the ball and come back (2 eps).
      if (k >= 3) expect(a.reduce((s, v) => s + v, 0)).toBeGreaterThanOrEqual(2 * eps);
    }
  });

  it('is the stated formula: eps/16 + (c eps/2)(1 + cos(pi i/k)), c = 2 (cosine) or 1 (cosine-eps)', () => {
    const c = Math.SQRT1_2;
    const want = (h: number) => [1 / 16 + 2 * h, 1 / 16 + h * (1 + c), 1 / 16 + h, 1 / 16 + h * (1 - c)];
    evalStepSizes(1, 4, 'cosine').forEach((a, i) => expect(a).toBeCloseTo(want(1)[i], 12));
    evalStepSizes(1, 4, 'cosine-eps').forEach((a, i) => expect(a).toBeCloseTo(want(0.5)[i], 12));
    expect(evalStepSizes(0, 3, 'cosine')).toEqual([0, 0, 0]);
    expect(evalStepSizes(0.1, 0, 'cosine')).toEqual([]);
  });

  it("madry: Madry's fixed max(eps/4, 2.5 eps/k)", () => {
    expect(evalStepSizes(0.04, 5, 'madry')).toEqual(new Array(5).fill(0.02));
    expect(evalStepSizes(0.04, 20, 'madry')).toEqual(new Array(20).fill(0.01));
  });
});
