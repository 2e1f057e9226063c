import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule';

describe('learning-rate schedules', () => {
  it('piecewise divides by 10 at 75% and again at 90% of the steps', () => {
    const at = (s: number) => learningRate('piecewise', 0.1, s, 100);
    expect([at(0), at(74), at(75), at(89), at(90), at(99)]).toEqual([
      0.1,
      0.1,
      0.1 * 0.1,
      0.1 * 0.1,
      0.1 * 0.01,
      0.1 * 0.01,
    ]);
  });

  it('cosine starts at the base rate, halves at mid-run and decreases to ~0', () => {
    expect(learningRate('cosine', 0.2, 0, 100)).toBeCloseTo(0.2, 12);
    expect(learningRate('cosine', 0.2, 50, 100)).toBeCloseTo(0.1, 12);
    expect(learningRate('cosine', 0.2, 99, 100)).toBeLessThan(1e-3);
    const rates = Array.from({ length: 100 }, (_, s) => learningRate('cosine', 0.2, s, 100));
    expect(rates.every((r, i) => i === 0 || r < rates[i - 1])).toBe(true);
  });

  it('constant stays put', () => {
    expect(learningRate('constant', 0.3, 97, 100)).toBe(0.3);
  });
});
