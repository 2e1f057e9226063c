import { describe, expect, it } from 'vitest';
import { apgdKey, attackKey, type AttackSpec } from '../spec';
import { attackChecks } from './attackChecks';
import type { HistoryPoint } from './results';

const attacks: AttackSpec[] = [2, 4, 8].map((k) => ({ norm: 'linf', eps: k / 255 }));
const point = (
  pgdAcc: number[],
  apgdAcc: number[],
  probe: HistoryPoint['probe'] = { largeEps: 64 / 255, largeEpsAcc: 0, zeroGradShare: 0 },
): HistoryPoint => ({
  epoch: 6,
  step: 186,
  trainLoss: 0.3,
  trainAcc: 0.9,
  cleanAcc: 0.9,
  robust: Object.fromEntries(
    attacks.flatMap((a, i) => [
      [attackKey(a), pgdAcc[i]],
      [apgdKey(a), apgdAcc[i]],
    ]),
  ),
  probe,
});
const status = (p: HistoryPoint | undefined) =>
  Object.fromEntries(attackChecks(attacks, p, 250).map((c) => [c.id, c.status]));

describe('attack checks', () => {
  it('are all green for a sound evaluation', () => {
    expect(status(point([0.7, 0.5, 0.2], [0.68, 0.47, 0.18]))).toEqual({
      'large-eps': 'pass',
      monotone: 'pass',
      steps: 'pass',
      gap: 'pass',
      'zero-grad': 'pass',
    });
  });
  it('turn red, each on its own failure', () => {
    expect(
      status(
        point([0.7, 0.5, 0.2], [0.68, 0.47, 0.18], { largeEps: 64 / 255, largeEpsAcc: 3 / 128, zeroGradShare: 0 }),
      )['large-eps'],
    ).toBe('fail');
    expect(status(point([0.5, 0.7, 0.2], [0.48, 0.47, 0.18])).monotone).toBe('fail');
    // Robust accuracy above clean accuracy is a rise too.
    expect(status(point([0.95, 0.5, 0.2], [0.68, 0.47, 0.18])).monotone).toBe('fail');
    expect(status(point([0.7, 0.5, 0.2], [0.72, 0.47, 0.18])).steps).toBe('fail');
    expect(status(point([0.7, 0.5, 0.2], [0.6, 0.47, 0.18])).gap).toBe('fail');
    expect(
      status(
        point([0.7, 0.5, 0.2], [0.68, 0.47, 0.18], { largeEps: 64 / 255, largeEpsAcc: 0, zeroGradShare: 1 / 250 }),
      )['zero-grad'],
    ).toBe('fail');
  });
  it('allow one example of slack, and say the number', () => {
    const checks = attackChecks(attacks, point([0.7, 0.5, 0.2], [0.704, 0.47, 0.18]), 250);
    expect(checks.find((c) => c.id === 'steps')).toEqual({
      id: 'steps',
      status: 'pass',
      value: 'APGD − PGD ≤ +0.4 pts',
    });
    // The budget where PGD overstates most is named.
    expect(checks.find((c) => c.id === 'gap')!.value).toBe('up to +3.0 pts (L∞ 4/255)');
  });
  it('are n/a without a final evaluation, and without APGD', () => {
    expect(new Set(Object.values(status(undefined)))).toEqual(new Set(['na']));
    const noApgd = point([0.7, 0.5, 0.2], [0.68, 0.47, 0.18]);
    noApgd.robust = Object.fromEntries(attacks.map((a, i) => [attackKey(a), [0.7, 0.5, 0.2][i]]));
    expect(status(noApgd)).toMatchObject({ steps: 'na', gap: 'na', monotone: 'pass' });
  });
});
