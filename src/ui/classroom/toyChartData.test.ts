import { describe, expect, it } from 'vitest';
import { THEORY_REGIME } from '../../core/toy/theoryRegime';
import { runToyComparison } from '../../core/toy/toyTrain';
import { finalNumbers, toyChartRows } from './toyChartData';

describe('classroom chart rows', () => {
  it('hold one row per recorded step with every method and metric, ending at the final numbers', () => {
    const result = runToyComparison({ ...THEORY_REGIME, steps: 40, evalEvery: 15 });
    const rows = toyChartRows(result);
    expect(rows.map((r) => r.step)).toEqual([0, 15, 30, 40]);
    for (const r of rows)
      for (const key of ['sgdShare', 'samShare', 'atShare', 'sgdClean', 'atRobust'] as const)
        expect(r[key]).toBeTypeOf('number');
    const finals = finalNumbers(result);
    expect(finals.map((f) => f.method)).toEqual(['sgd', 'sam', 'at']);
    expect(rows[3].samShare).toBe(finals[1].robustShare);
  });
});
