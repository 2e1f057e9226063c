// The charts' text summary: each run's latest evaluation, clean accuracy and robust accuracy per
// budget (PGD, and APGD on the final evaluation), so that the numbers the charts draw can be read
// without seeing them; and each SAM run's gain over the SGD run under both attacks.
import { apgdKey, attackKey, type AttackSpec, type RunSpec } from '../../core/spec';
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
  /** APGD robust accuracy per attack (final evaluation only). */
  apgd: (number | undefined)[];
}

/** A SAM run minus the first SGD run, in accuracy (not points): clean, PGD and APGD per attack. */
export interface GainRow {
  runId: string;
  name: string;
  clean: number | undefined;
  robust: (number | undefined)[];
  apgd: (number | undefined)[];
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
      apgd: attacks.map((a) => finite(last?.robust[apgdKey(a)])),
    };
  });
}

const minus = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : a - b;

/** Each SAM run's gain over the experiment's first SGD run, from summaryRows' rows; none without an SGD run. */
export function samGainRows(runs: RunSpec[], rows: SummaryRow[]): GainRow[] {
  const base = rows[runs.findIndex((r) => r.method === 'sgd')];
  if (!base) return [];
  return runs.flatMap((r, i) =>
    r.method !== 'sam'
      ? []
      : [
          {
            runId: r.id,
            name: `${rows[i].name} − ${base.name}`,
            clean: minus(rows[i].clean, base.clean),
            robust: rows[i].robust.map((v, k) => minus(v, base.robust[k])),
            apgd: rows[i].apgd.map((v, k) => minus(v, base.apgd[k])),
          },
        ],
  );
}
