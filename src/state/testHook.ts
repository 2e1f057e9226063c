// Read-only view of the lab for the end-to-end tests, installed only when the URL asks (?e2e=1).
import type { LabStore } from './labStore';

export interface TestSnapshot {
  presetId: string | undefined;
  issues: { path: string; message: string }[];
  notice: string | undefined;
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
    lastMetrics: { epoch: number; cleanAcc: number; robust: Record<string, number> } | undefined;
    error: string | undefined;
  }[];
}

export function snapshot(store: LabStore): TestSnapshot {
  const s = store.getState();
  return {
    presetId: s.presetId,
    issues: s.issues.map((i) => ({ ...i })),
    notice: s.notice,
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
        lastMetrics: last && { epoch: last.epoch, cleanAcc: last.cleanAcc, robust: { ...last.robust } },
        error: r.error?.message,
      };
    }),
  };
}

export function installTestHook(store: LabStore): void {
  (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab = Object.freeze({ getState: () => snapshot(store) });
}
