// The saved experiments (IndexedDB, experimentDb.ts) as the page shows them: which one the runs
// on screen belong to, and the history list. persistence.ts keeps both up to date.
import type { ExperimentRecord } from './experimentDb';
import type { SliceCreator } from './sliceTypes';

export type ExperimentSummary = Omit<ExperimentRecord, 'spec'> & { dataset: string; model: string };

export interface ArchiveSlice {
  /** The saved experiment the shown runs belong to; undefined when none is shown. */
  experimentId: string | undefined;
  /** Saved experiments, newest first. */
  archive: ExperimentSummary[];
  /** Why saving or reading the history failed (e.g. private browsing without IndexedDB). */
  archiveError: string | undefined;
  setArchive(list: ExperimentRecord[]): void;
  setArchiveError(message: string | undefined): void;
}

export const summarize = ({ spec, ...rest }: ExperimentRecord): ExperimentSummary => ({
  ...rest,
  dataset: spec.dataset.name,
  model: spec.model.name,
});

export const createArchiveSlice: SliceCreator<ArchiveSlice> = (set) => ({
  experimentId: undefined,
  archive: [],
  archiveError: undefined,
  setArchive: (list) => set({ archive: list.map(summarize) }),
  setArchiveError: (message) => set({ archiveError: message }),
});
