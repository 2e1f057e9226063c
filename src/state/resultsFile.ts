// The shown experiment as a results file (core/train/resultsFile.ts), and results read back as run views.
import { isBackendName } from '../core/backend';
import { dualityPoint, type DualityPoint } from '../core/duality/dualityPoint';
import type { DualityResult } from '../core/landscape/results';
import type { Results, RunStatus } from '../core/train/results';
import type { LabState } from './labStore';
import type { LandscapeRecord } from './landscapeSlice';
import { addLoss, EMPTY_LOSS_SERIES } from './lossSeries';
import { newRunView, restoredView, type RunView } from './runView';

/** The shown experiment as a results file; undefined when nothing was trained. */
export function resultsFromState(
  s: Pick<LabState, 'trainedSpec' | 'runs' | 'runOrder'> & Partial<Pick<LabState, 'landscapes'>>,
): Results | undefined {
  if (!s.trainedSpec) return undefined;
  const views = s.runOrder.map((id) => s.runs[id]);
  const backend =
    views.find((r) => r.backend)?.backend ??
    (isBackendName(s.trainedSpec.train.backend) ? s.trainedSpec.train.backend : 'cpu');
  return {
    spec: structuredClone(s.trainedSpec),
    backend,
    runs: views.map((r) => ({
      id: r.id,
      method: r.spec.method,
      status: r.status,
      history: r.history,
      msPerStep: r.result?.msPerStep ?? 0,
      ...(r.error || r.result?.error ? { error: r.error?.message ?? r.result?.error } : {}),
      ...dualityOf(s.landscapes?.[r.id]?.slices ?? r.result?.duality),
    })),
  };
}

/** The duality numbers of a run's finished landscape records (or as an imported file had them). */
function dualityOf(from: LandscapeRecord[] | DualityPoint[] | undefined): { duality?: DualityPoint[] } {
  if (!from || from.length === 0) return {};
  const points = from.flatMap((x) => {
    if (!('results' in x)) return [x];
    const d = x.results.find((r): r is DualityResult => r.kind === 'duality');
    return d ? [dualityPoint(d, x.step, x.epoch)] : [];
  });
  return points.length > 0 ? { duality: points } : {};
}

/**
 * Run views of finished results (an import, a results link): the loss curve is the evaluations'
 * training loss. A run exported before it ended is shown interrupted: no worker will end it here.
 */
export function runViewsFromResults(results: Results): RunView[] {
  return results.spec.runs.map((spec) => {
    const r = results.runs.find((x) => x.id === spec.id);
    const view = newRunView(spec);
    if (!r) return { ...view, status: 'stopped' as RunStatus };
    let lossSeries = EMPTY_LOSS_SERIES;
    for (const p of r.history) lossSeries = addLoss(lossSeries, p.step, p.trainLoss);
    const last = r.history.at(-1);
    return restoredView({
      ...view,
      status: r.status,
      backend: results.backend,
      step: last?.step ?? 0,
      totalSteps: last?.step ?? 0,
      epoch: last?.epoch ?? 0,
      history: r.history,
      lossSeries,
      result: r,
      ...(r.error ? { error: { message: r.error, kind: 'exception' as const } } : {}),
    });
  });
}
