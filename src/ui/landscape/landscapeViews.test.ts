import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../core/landscape/resultFixtures';
import type { LandscapeResult } from '../../core/landscape/results';
import type { LandscapeRecord, RunLandscapes } from '../../state/landscapeSlice';
import { dualityHistory, dualityRoles, landscapesAt, landscapeStamps } from './landscapeViews';

const s = sampleResults();
const record = (step: number, results: LandscapeResult[]): LandscapeRecord => ({
  requestId: `r${step}-${results.length}`,
  trigger: 'eval',
  kinds: results.map((r) => r.kind),
  step,
  epoch: step / 10,
  estimate: { evals: 0, gradEvals: 0 },
  results,
  progress: 1,
  ms: 1,
});

describe('landscape views and the duality records', () => {
  const all: Record<string, RunLandscapes> = {
    sam: { slices: [record(0, [s.duality]), record(10, [s['weight-1d']]), record(20, [s.duality])], queued: [] },
  };
  const runs = [{ id: 'sam', name: 'SAM', color: '#000' }];

  it('keeps the slider and the slices to the slice records, and the duality history to its own', () => {
    expect(landscapeStamps(runs, all)).toEqual([1]);
    expect(landscapesAt(runs, all)[0].results.map((r) => r.kind)).toEqual(['weight-1d']);
    expect(dualityHistory(all, 'sam').map((d) => d.step)).toEqual([0, 20]);
    expect(dualityHistory(all, undefined)).toEqual([]);
  });

  it('shows the first SAM run beside the first AT run', () => {
    const r = dualityRoles([
      { id: 'a', method: 'sgd' },
      { id: 'b', method: 'at', norm: 'linf', eps: 0.01, stepSize: 0.01, steps: 1 },
      { id: 'c', method: 'sam', rho: 0.1 },
    ]);
    expect([r.sam?.id, r.at?.id]).toEqual(['c', 'b']);
    expect(dualityRoles([{ id: 'a', method: 'sgd' }]).sam?.id).toBe('a');
  });
});
