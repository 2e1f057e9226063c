// The charts' text summary: each run's latest evaluation, clean accuracy and robust accuracy per
// budget, so that the numbers the charts draw can be read without seeing them.
import { attackKey, type AttackSpec, type RunSpec } from '../../core/spec';
import type { HistoryPoint } from '../../core/train/results';
import { runLabel } from '../../state/runLabel';

export interface SummaryRow {
  runId: string;
  /** The run's position: picks its colour. */
  index: number;
  name: string;
  /** Epoch of the latest evaluation; undefined before the first one. */
  epoch: number | undefined;
  clean: number | undefined;
  /** Robust accuracy per attack, in the spec's attack order (undefined where not measured). */
  robust: (number | undefined)[];
}

const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);

export function summaryRows(runs: RunSpec[], histories: HistoryPoint[][], attacks: AttackSpec[]): SummaryRow[] {
  return runs.map((r, index) => {
    const last = histories[index]?.at(-1);
    return {
      runId: r.id,
      index,
      name: runLabel(r),
      epoch: last?.epoch,
      clean: finite(last?.cleanAcc),
      robust: attacks.map((a) => finite(last?.robust[attackKey(a)])),
    };
  });
}
