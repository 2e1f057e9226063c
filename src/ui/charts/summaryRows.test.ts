import { describe, expect, it } from 'vitest';
import { apgdKey, attackKey, type AttackSpec, type RunSpec } from '../../core/spec';
import type { HistoryPoint } from '../../core/train/results';
import { samGainRows, summaryRows } from './summaryRows';

const point = (epoch: number, cleanAcc: number, robust: Record<string, number>): HistoryPoint => ({
  epoch,
  step: epoch * 10,
  trainLoss: NaN,
  trainAcc: NaN,
  cleanAcc,
  robust,
});

describe('summaryRows', () => {
  it("takes each run's latest evaluation, robust accuracy in the spec's attack order, blanks where not measured", () => {
    const runs: RunSpec[] = [
      { id: 'sgd', method: 'sgd' },
      { id: 'sam', method: 'sam', rho: 0.1 },
      { id: 'at', method: 'at', norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 3 },
    ];
    const attacks: AttackSpec[] = [
      { norm: 'linf', eps: 2 / 255 },
      { norm: 'linf', eps: 8 / 255 },
    ];
    const [a2, a8] = attacks.map(attackKey);
    const rows = summaryRows(
      runs,
      [
        [point(0, 0.1, { [a2]: 0.05, [a8]: 0 }), point(1, 0.8, { [a2]: 0.4, [a8]: 0.1 })],
        [point(0, NaN, { [a8]: 0.2 })],
        [],
      ],
      attacks,
    );
    expect(rows.map((r) => r.name)).toEqual(['SGD', 'SAM ρ=0.1', 'AT L∞ 4/255']);
    expect(rows[0]).toMatchObject({ epoch: 1, clean: 0.8, robust: [0.4, 0.1], index: 0 });
    expect(rows[1]).toMatchObject({ epoch: 0, clean: undefined, robust: [undefined, 0.2] });
    expect(rows[2]).toMatchObject({ epoch: undefined, clean: undefined, robust: [undefined, undefined], index: 2 });
  });

  it("puts APGD beside PGD and gives SAM's gain over SGD under both", () => {
    const runs: RunSpec[] = [
      { id: 'sgd', method: 'sgd' },
      { id: 'sam', method: 'sam', rho: 0.1 },
    ];
    const a: AttackSpec = { norm: 'linf', eps: 8 / 255 };
    const rows = summaryRows(
      runs,
      [
        [point(6, 0.9, { [attackKey(a)]: 0.2, [apgdKey(a)]: 0.15 })],
        [point(6, 0.92, { [attackKey(a)]: 0.3, [apgdKey(a)]: 0.22 })],
      ],
      [a],
    );
    expect(rows[1]).toMatchObject({ robust: [0.3], apgd: [0.22] });
    const [gain] = samGainRows(runs, rows);
    expect(gain.name).toBe('SAM ρ=0.1 − SGD');
    expect(gain.clean).toBeCloseTo(0.02, 12);
    expect(gain.robust[0]).toBeCloseTo(0.1, 12);
    expect(gain.apgd[0]).toBeCloseTo(0.07, 12);
    expect(samGainRows([runs[1]], [rows[1]])).toEqual([]);
  });
});
