// The runs of the experiment being trained: one RunView per run, in the spec's order.
import type { BackendName } from '../core/backend';
import type { ExperimentSpec } from '../core/spec';
import type { FromWorker } from '../worker/protocol';
import { applyMessages, isFinal, newRunView, type RunView } from './runView';
import type { SliceCreator } from './sliceTypes';

/** Why a restored run (RunsSlice.restoredRuns) offers no landscape or weights: shown beside those actions. */
export const WEIGHTS_GONE_REASON =
  'Weights are not kept after a reload, with saved results or when their worker crashed: train again, or open a weights file (Export), to slice or export weights.';

/** What "auto" chose for the experiment being trained, and why (shown on every run card). */
export type BackendChoiceView =
  | { state: 'measuring' }
  | { state: 'chosen'; backend: BackendName; reason: string; measuredAt?: number }
  | { state: 'failed'; reason: string };

export interface RunsSlice {
  backendChoice: BackendChoiceView | undefined;
  setBackendChoice(choice: BackendChoiceView | undefined): void;
  /** The spec the runs were started with (a snapshot: editing the form does not change it). */
  trainedSpec: ExperimentSpec | undefined;
  runs: Record<string, RunView>;
  runOrder: string[];
  /**
   * Runs put on screen from saved data (a saved experiment, imported results, a results link): no
   * worker holds their weights, so they cannot be sliced or exported. Train, or a Restart of one
   * run, trains them again in a new worker; opening a weights file gives them a worker with those weights.
   */
  restoredRuns: Readonly<Record<string, true>>;
  /** A restored run took a weights file in a worker of its own (false), or lost that worker (true). */
  setRestored(id: string, restored: boolean): void;
  /** Fresh, queued views of every run of `spec`; undefined clears them. */
  resetRuns(spec: ExperimentSpec | undefined): void;
  applyWorkerMessages(batch: FromWorker[]): void;
  /** Back to a fresh queued view (Restart). */
  requeueRun(id: string): void;
  /** The worker died without reporting: its run is in error and can be restarted. */
  markCrashed(id: string, message: string): void;
  /** Runs that never started are stopped by the controller without a worker. */
  markStopped(id: string): void;
}

export const createRunsSlice: SliceCreator<RunsSlice> = (set, get) => ({
  backendChoice: undefined,
  setBackendChoice: (backendChoice) => set({ backendChoice }),
  trainedSpec: undefined,
  runs: {},
  runOrder: [],
  restoredRuns: {},
  resetRuns(spec) {
    const runs: Record<string, RunView> = {};
    for (const r of spec?.runs ?? []) runs[r.id] = newRunView(r);
    set({
      trainedSpec: spec && structuredClone(spec),
      runs,
      runOrder: spec?.runs.map((r) => r.id) ?? [],
      restoredRuns: {},
      backendChoice: undefined,
    });
  },
  applyWorkerMessages(batch) {
    const runs = applyMessages(get().runs, batch);
    if (runs !== get().runs) set({ runs });
  },
  setRestored(id, restored) {
    if (!get().runs[id] || (get().restoredRuns[id] === true) === restored) return;
    const { [id]: _live, ...others } = get().restoredRuns;
    set({ restoredRuns: restored ? { ...others, [id]: true } : others });
  },
  requeueRun(id) {
    const run = get().runs[id];
    if (!run) return;
    const { [id]: _trainedAgain, ...restoredRuns } = get().restoredRuns;
    set({ runs: { ...get().runs, [id]: newRunView(run.spec) }, restoredRuns });
  },
  markCrashed(id, message) {
    const run = get().runs[id];
    if (!run || isFinal(run.status)) return;
    set({ runs: { ...get().runs, [id]: { ...run, status: 'error', error: { message, kind: 'crash' } } } });
  },
  markStopped(id) {
    const run = get().runs[id];
    if (!run || isFinal(run.status)) return;
    set({ runs: { ...get().runs, [id]: { ...run, status: 'stopped' } } });
  },
});
