// The datasets as the picker shows them: ready (served by datasets/ or kept in browser storage) or
// missing with the reason, the bytes a run's worker has fetched while it loads its data, and the
// state of an import of dropped files.
import type { DatasetName } from '../core/spec';
import type { DatasetState } from './datasetStatus';
import type { FromWorker } from '../worker/protocol';
import type { SliceCreator } from './sliceTypes';

export interface DataLoad {
  dataset: string;
  loaded: number;
  total: number;
  file: string;
}

export type ImportState =
  | { phase: 'idle' }
  | { phase: 'working'; step: string; loaded: number; total: number }
  | { phase: 'done'; message: string }
  | { phase: 'error'; message: string };

export interface DatasetSlice {
  /** undefined until the manifest and browser storage have been read. */
  datasetStates: Record<DatasetName, DatasetState> | undefined;
  /** Per run, while its worker fetches the dataset files. */
  dataLoads: Record<string, DataLoad>;
  datasetImport: ImportState;
  setDatasetStates(states: Record<DatasetName, DatasetState>): void;
  setDatasetImport(state: ImportState): void;
  applyDataMessages(batch: FromWorker[]): void;
}

/** Folds data-progress messages; a run's load ends with its next status (training, error) or done. */
export function applyDataMessages(loads: Record<string, DataLoad>, batch: FromWorker[]): Record<string, DataLoad> {
  let next = loads;
  const edit = () => (next === loads ? (next = { ...loads }) : next);
  for (const m of batch) {
    if (m.type === 'data-progress')
      edit()[m.runId] = { dataset: m.dataset, loaded: m.loaded, total: m.total, file: m.file };
    else if (
      next[m.runId] &&
      (m.type === 'done' || m.type === 'error' || (m.type === 'status' && m.status !== 'queued'))
    )
      delete edit()[m.runId];
  }
  return next;
}

export const createDatasetSlice: SliceCreator<DatasetSlice> = (set, get) => ({
  datasetStates: undefined,
  dataLoads: {},
  datasetImport: { phase: 'idle' },
  setDatasetStates: (states) => set({ datasetStates: states }),
  setDatasetImport: (state) => set({ datasetImport: state }),
  applyDataMessages(batch) {
    const next = applyDataMessages(get().dataLoads, batch);
    if (next !== get().dataLoads) set({ dataLoads: next });
  },
});

/** The picker's data as the end-to-end tests read them. */
export function datasetSnapshot(s: DatasetSlice) {
  return {
    states: s.datasetStates && structuredClone(s.datasetStates),
    loads: { ...s.dataLoads },
    import: { ...s.datasetImport },
  };
}
