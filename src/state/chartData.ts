// Chart inputs derived from the runs: plain arrays the chart components take as props. They take
// the runs' histories and loss points as lists (in run order) so a caller can recompute them only
// when one of those lists changes.
import { apgdKey, attackKey, type AttackSpec, type RunSpec } from '../core/spec';
import type { HistoryPoint } from '../core/train/results';
import type { LossPoint } from './lossSeries';
import { attackLabel } from '../core/budgetLabel';
import { runLabel } from './runLabel';

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
  /** The strong final evaluation (APGD, "<key>:apgd"): one point at the run's last evaluation, drawn as a mark. */
  apgd?: true;
}

export interface TradeoffPoint {
  runId: string;
  index: number;
  attackIndex: number;
  /** The run's label (the text beside the point). */
  run: string;
  /** Run and budget, for the point's tooltip. */
  name: string;
  clean: number;
  robust: number;
  /** Every evaluation with both values, oldest first, ending at this point: the run's path. */
  trail: { clean: number; robust: number }[];
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
    points: (histories[index] ?? [])
      .filter((h) => Number.isFinite(h.cleanAcc))
      .map((h) => ({ epoch: h.epoch, acc: h.cleanAcc })),
  }));
}

/** One series per run per attack, and its APGD point once measured; `only` keeps a single attack (the chart's selector). */
export function robustAccuracyData(
  runs: RunSpec[],
  histories: HistoryPoint[][],
  attacks: AttackSpec[],
  only?: string,
): AccuracySeriesData[] {
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
        points: (histories[index] ?? [])
          .filter((h) => Number.isFinite(h.robust[key]))
          .map((h) => ({ epoch: h.epoch, acc: h.robust[key] })),
      });
      const last = histories[index]?.at(-1);
      const strong = last?.robust[apgdKey(a)];
      if (last && strong !== undefined && Number.isFinite(strong)) {
        out.push({
          key: `${r.id}|${apgdKey(a)}`,
          runId: r.id,
          index,
          attackIndex,
          name: `${runLabel(r)} · ${attackLabel(a)} · APGD`,
          points: [{ epoch: last.epoch, acc: strong }],
          apgd: true,
        });
      }
    });
  });
  return out;
}

/** The latest evaluation of each run: one point per attack, clean accuracy against robust accuracy, with the path that led there. */
export function tradeoffData(runs: RunSpec[], histories: HistoryPoint[][], attacks: AttackSpec[]): TradeoffPoint[] {
  const out: TradeoffPoint[] = [];
  runs.forEach((r, index) => {
    const history = histories[index] ?? [];
    const last = history.at(-1);
    if (!last || !Number.isFinite(last.cleanAcc)) return;
    attacks.forEach((a, attackIndex) => {
      const key = attackKey(a);
      const robust = last.robust[key];
      if (!Number.isFinite(robust)) return;
      const trail = history
        .filter((h) => Number.isFinite(h.cleanAcc) && Number.isFinite(h.robust[key]))
        .map((h) => ({ clean: h.cleanAcc, robust: h.robust[key] }));
      out.push({
        runId: r.id,
        index,
        attackIndex,
        run: runLabel(r),
        name: `${runLabel(r)} · ${attackLabel(a)}`,
        clean: last.cleanAcc,
        robust,
        trail,
      });
    });
  });
  return out;
}
