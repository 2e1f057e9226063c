// Read-only view of the lab for the end-to-end tests, installed only when the URL asks (?e2e=1).
import type { HistoryPoint } from '../core/train/results';
import { datasetSnapshot } from './datasetSlice';
import type { LabState, LabStore } from './labStore';
import { landscapeSnapshot } from './landscapeSlice';

export interface TestSnapshot {
  presetId: string | undefined;
  issues: { path: string; message: string }[];
  notice: string | undefined;
  /** What "auto" chose and why, once measured. */
  backendChoice: LabState['backendChoice'];
  runs: {
    id: string;
    method: string;
    status: string;
    backend: string | undefined;
    step: number;
    totalSteps: number;
    epoch: number;
    evaluations: number;
    /** Steps of the loss-chart points: every step while a run is short (see lossSeries). */
    lossSteps: number[];
    lastMetrics: Pick<HistoryPoint, 'epoch' | 'cleanAcc' | 'robust' | 'probe'> | undefined;
    error: string | undefined;
  }[];
  /** Per run: recorded landscapes (values per kind), the one in progress, requests waiting. */
  landscapes: ReturnType<typeof landscapeSnapshot>;
  datasets: ReturnType<typeof datasetSnapshot>;
}

export function snapshot(store: LabStore): TestSnapshot {
  const s = store.getState();
  return {
    presetId: s.presetId,
    issues: s.issues.map((i) => ({ ...i })),
    notice: s.notice,
    backendChoice: s.backendChoice && { ...s.backendChoice },
    runs: s.runOrder.map((id) => {
      const r = s.runs[id];
      const last = r.history.at(-1);
      return {
        id,
        method: r.spec.method,
        status: r.status,
        backend: r.backend,
        step: r.step,
        totalSteps: r.totalSteps,
        epoch: r.epoch,
        evaluations: r.history.length,
        lossSteps: r.lossSeries.points.map((p) => p.step),
        lastMetrics: last && {
          epoch: last.epoch,
          cleanAcc: last.cleanAcc,
          robust: { ...last.robust },
          probe: last.probe && { ...last.probe },
        },
        error: r.error?.message,
      };
    }),
    landscapes: landscapeSnapshot(s.landscapes),
    datasets: datasetSnapshot(s),
  };
}

export function installTestHook(store: LabStore): void {
  (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab = Object.freeze({
    getState: () => snapshot(store),
  });
}
