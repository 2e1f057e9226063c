// Chart inputs derived from the runs: plain arrays the chart components take as props. They take
// the runs' histories and loss points as lists (in run order) so a caller can recompute them only
// when one of those lists changes.
import { attackKey, type AttackSpec, type RunSpec } from '../core/spec';
import type { HistoryPoint } from '../core/train/results';
import type { LossPoint } from './lossSeries';
import { attackLabel, runLabel } from './runLabel';

export interface LossSeriesData {
  runId: string;
  index: number;
  name: string;
  points: LossPoint[];
}

export interface AccuracyPoint {
  epoch: number;
  acc: number;
}

export interface AccuracySeriesData {
  key: string;
  runId: string;
  /** The run's position: picks its colour. */
  index: number;
  /** The attack's position (undefined for clean accuracy): picks the dash pattern. */
  attackIndex: number | undefined;
  name: string;
  points: AccuracyPoint[];
}

export interface TradeoffPoint {
  runId: string;
  index: number;
  attackIndex: number;
  name: string;
  clean: number;
  robust: number;
}

export function lossChartData(runs: RunSpec[], points: LossPoint[][]): LossSeriesData[] {
  return runs.map((r, index) => ({ runId: r.id, index, name: runLabel(r), points: points[index] ?? [] }));
}

export function cleanAccuracyData(runs: RunSpec[], histories: HistoryPoint[][]): AccuracySeriesData[] {
  return runs.map((r, index) => ({
    key: `${r.id}|clean`,
    runId: r.id,
    index,
    attackIndex: undefined,
    name: runLabel(r),
    points: (histories[index] ?? []).filter((h) => Number.isFinite(h.cleanAcc)).map((h) => ({ epoch: h.epoch, acc: h.cleanAcc })),
  }));
}

/** One series per run per attack; `only` keeps a single attack (the chart's selector). */
export function robustAccuracyData(runs: RunSpec[], histories: HistoryPoint[][], attacks: AttackSpec[], only?: string): AccuracySeriesData[] {
  const out: AccuracySeriesData[] = [];
  runs.forEach((r, index) => {
    attacks.forEach((a, attackIndex) => {
      const key = attackKey(a);
      if (only !== undefined && key !== only) return;
      out.push({
        key: `${r.id}|${key}`,
        runId: r.id,
        index,
        attackIndex,
        name: `${runLabel(r)} · ${attackLabel(a)}`,
        points: (histories[index] ?? []).filter((h) => Number.isFinite(h.robust[key])).map((h) => ({ epoch: h.epoch, acc: h.robust[key] })),
      });
    });
  });
  return out;
}

/** The latest evaluation of each run: one point per attack, clean accuracy against robust accuracy. */
export function tradeoffData(runs: RunSpec[], histories: HistoryPoint[][], attacks: AttackSpec[]): TradeoffPoint[] {
  const out: TradeoffPoint[] = [];
  runs.forEach((r, index) => {
    const last = histories[index]?.at(-1);
    if (!last || !Number.isFinite(last.cleanAcc)) return;
    attacks.forEach((a, attackIndex) => {
      const robust = last.robust[attackKey(a)];
      if (Number.isFinite(robust)) out.push({ runId: r.id, index, attackIndex, name: `${runLabel(r)} · ${attackLabel(a)}`, clean: last.cleanAcc, robust });
    });
  });
  return out;
}
