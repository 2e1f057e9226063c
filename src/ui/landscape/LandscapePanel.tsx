// Every landscape view of an experiment, from each run's results (as computeLandscape returns
// them, partial ones included): the 1-D charts, the 2-D small multiples per space, the sharpness
// table. Views with no result yet are left out.
import { memo } from 'react';
import type {
  InputSlice1d,
  InputSlice2d,
  LandscapeKind,
  LandscapeResult,
  SharpnessResult,
  WeightSlice1d,
  WeightSlice2d,
} from '../../core/landscape/results';
import { InputSliceChart } from './InputSliceChart';
import { LandscapeHeatmaps } from './LandscapeHeatmaps';
import type { RunSlice } from './runSlices';
import { SharpnessTable } from './SharpnessTable';
import { WeightSliceChart } from './WeightSliceChart';

export interface RunLandscape {
  id: string;
  name: string;
  color: string;
  results: LandscapeResult[];
}

function pick<R extends LandscapeResult>(runs: RunLandscape[], kind: LandscapeKind): RunSlice<R>[] {
  return runs.map(({ id, name, color, results }) => ({
    id,
    name,
    color,
    result: results.find((r) => r.kind === kind) as R | undefined,
  }));
}

const has = (runs: RunSlice<LandscapeResult>[]) => runs.some((r) => r.result);

export const LandscapePanel = memo(function LandscapePanel({ runs }: { runs: RunLandscape[] }) {
  const w1 = pick<WeightSlice1d>(runs, 'weight-1d');
  const w2 = pick<WeightSlice2d>(runs, 'weight-2d');
  const i1 = pick<InputSlice1d>(runs, 'input-1d');
  const i2 = pick<InputSlice2d>(runs, 'input-2d');
  const sh = pick<SharpnessResult>(runs, 'sharpness');
  return (
    <section className="landscape" aria-label="loss landscapes">
      {has(w1) && <WeightSliceChart runs={w1} />}
      {has(i1) && <InputSliceChart runs={i1} />}
      {has(w2) && <LandscapeHeatmaps title="Weight space: L(w + α d₁ + β d₂)" runs={w2} />}
      {has(i2) && <LandscapeHeatmaps title="Input space: loss of x + a·adversarial + b·random" runs={i2} />}
      {has(sh) && <SharpnessTable runs={sh} />}
    </section>
  );
});
