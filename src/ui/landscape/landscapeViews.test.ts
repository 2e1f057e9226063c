import { describe, expect, it } from 'vitest';
import { sampleResults } from '../../core/landscape/resultFixtures';
import type { RunLandscapes } from '../../state/landscapeSlice';
import { landscapeRecord } from '../../state/testFixtures';
import { dualityHistory, dualityRoles, landscapesAt, landscapeStamps } from './landscapeViews';

const s = sampleResults();

describe('landscape views and the duality records', () => {
  const all: Record<string, RunLandscapes> = {
    sam: {
      slices: [
        landscapeRecord(0, [s.duality]),
        landscapeRecord(10, [s['weight-1d']]),
        landscapeRecord(20, [s.duality]),
      ],
      queued: [],
    },
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
