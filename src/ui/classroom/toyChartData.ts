// Rows for the classroom charts: one row per recorded step, one column per method and metric.
import { TOY_METHODS, type ToyComparison, type ToyMethod } from '../../core/toy/toyTrain';

export const METHOD_COLORS: Record<ToyMethod, string> = { sgd: '#0072B2', sam: '#E69F00', at: '#009E73' };
export const METHOD_NAMES: Record<ToyMethod, string> = { sgd: 'SGD', sam: 'SAM', at: 'AT' };

export type ToyChartRow = { step: number } & Partial<Record<`${ToyMethod}${'Share' | 'Clean' | 'Robust'}`, number>>;

/** All methods record at the same steps, but merge by step anyway so a shorter history cannot misalign. */
export function toyChartRows(result: ToyComparison): ToyChartRow[] {
  const rows = new Map<number, ToyChartRow>();
  for (const m of TOY_METHODS) {
    for (const h of result.runs[m].history) {
      const row = rows.get(h.step) ?? { step: h.step };
      row[`${m}Share`] = h.robustShare;
      row[`${m}Clean`] = h.cleanAcc;
      row[`${m}Robust`] = h.robustAcc;
      rows.set(h.step, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

/** The final numbers of each method, for the summary table. */
export function finalNumbers(result: ToyComparison) {
  return TOY_METHODS.map((m) => ({ method: m, ...result.runs[m].history[result.runs[m].history.length - 1] }));
}
