// Landscape records for the tests of the state and the views that read it: finished requests with
// plain numbers, made without a worker.
import type { LandscapeResult } from '../core/landscape/results';
import type { LandscapeRecord } from './landscapeSlice';

/** A finished request at `step` (epoch step / 10) that computed `results`, evaluated on eval. */
export const landscapeRecord = (step: number, results: LandscapeResult[]): LandscapeRecord => ({
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
