import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../core/spec';
import type { HistoryPoint } from '../core/train/results';
import { cleanAccuracyData, robustAccuracyData, tradeoffData } from './chartData';

const runs: RunSpec[] = [
  { id: 'sgd', method: 'sgd' },
  { id: 'at', method: 'at', norm: 'linf', eps: 8 / 255, stepSize: 2 / 255, steps: 5 },
];
const attacks = [
  { norm: 'linf' as const, eps: 2 / 255 },
  { norm: 'linf' as const, eps: 8 / 255 },
];
const k2 = `linf:${2 / 255}`;
const k8 = `linf:${8 / 255}`;
const h = (epoch: number, clean: number, r2: number, r8?: number): HistoryPoint => ({
  epoch,
  step: epoch * 10,
  trainLoss: NaN,
  trainAcc: NaN,
  cleanAcc: clean,
  robust: r8 === undefined ? { [k2]: r2 } : { [k2]: r2, [k8]: r8 },
});
const histories = [
  [h(0, 0.1, 0.1, 0.1), h(1, 0.8, 0.3, 0.05)],
  [h(0, 0.1, 0.1, 0.1), h(1, 0.6, 0.5, 0.3)],
];

describe('chart data', () => {
  it('gives one robust series per run per attack, or only the chosen attack', () => {
    const all = robustAccuracyData(runs, histories, attacks);
    expect(all.map((s) => s.key)).toEqual([`sgd|${k2}`, `sgd|${k8}`, `at|${k2}`, `at|${k8}`]);
    expect(all[3].points).toEqual([
      { epoch: 0, acc: 0.1 },
      { epoch: 1, acc: 0.3 },
    ]);
    expect(all[3].name).toBe('AT L∞ 8/255 · L∞ 8/255');
    expect(robustAccuracyData(runs, histories, attacks, k8).map((s) => s.key)).toEqual([`sgd|${k8}`, `at|${k8}`]);
  });

  it('skips evaluations that lack a value (no NaN points)', () => {
    const partial = [[h(0, NaN, 0.2), h(1, 0.5, 0.4)]];
    expect(cleanAccuracyData(runs.slice(0, 1), partial)[0].points).toEqual([{ epoch: 1, acc: 0.5 }]);
    expect(robustAccuracyData(runs.slice(0, 1), partial, attacks)[1].points).toEqual([]);
  });

  it('puts one trade-off point per run per attack at the latest evaluation', () => {
    const pts = tradeoffData(runs, histories, attacks);
    expect(pts.map((p) => [p.runId, p.attackIndex, p.clean, p.robust])).toEqual([
      ['sgd', 0, 0.8, 0.3],
      ['sgd', 1, 0.8, 0.05],
      ['at', 0, 0.6, 0.5],
      ['at', 1, 0.6, 0.3],
    ]);
    expect(pts.map((p) => p.run)).toEqual(['SGD', 'SGD', 'AT L∞ 8/255', 'AT L∞ 8/255']);
    expect(tradeoffData(runs, [[], []], attacks)).toEqual([]);
  });

  it("gives each trade-off point the run's path over its evaluations, oldest first, without evaluations lacking a value", () => {
    const withGap = [[h(0, 0.1, 0.1, 0.1), h(0.5, NaN, 0.2, 0.1), h(1, 0.7, 0.4), h(2, 0.8, 0.3, 0.05)]];
    const [at2, at8] = tradeoffData(runs.slice(0, 1), withGap, attacks);
    expect(at2.trail).toEqual([
      { clean: 0.1, robust: 0.1 },
      { clean: 0.7, robust: 0.4 },
      { clean: 0.8, robust: 0.3 },
    ]);
    expect(at8.trail).toEqual([
      { clean: 0.1, robust: 0.1 },
      { clean: 0.8, robust: 0.05 },
    ]);
    expect(at8.trail.at(-1)).toEqual({ clean: at8.clean, robust: at8.robust });
  });
});
