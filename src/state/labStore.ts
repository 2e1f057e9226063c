// The page's one store, assembled from its slices. Components read it through narrow selectors
// (selectors.ts) so a progress message re-renders only what shows progress.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { createArchiveSlice, type ArchiveSlice } from './archiveSlice';
import { createClassroomSlice, type ClassroomSlice } from './classroomSlice';
import { createDatasetSlice, type DatasetSlice } from './datasetSlice';
import { createExperimentSlice, type ExperimentSlice } from './experimentSlice';
import { createLandscapeSlice, type LandscapeSlice } from './landscapeSlice';
import { createRunsSlice, type RunsSlice } from './runsSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type LabState = ExperimentSlice &
  RunsSlice &
  UiSlice &
  ClassroomSlice &
  ArchiveSlice &
  LandscapeSlice &
  DatasetSlice;
export type LabStore = StoreApi<LabState>;

export interface LabStoreOptions {
  spec?: ExperimentSpec;
  presetId?: string;
  maxParallel?: number;
}

export function createLabStore(options: LabStoreOptions = {}): LabStore {
  return createStore<LabState>()((set, get) => ({
    ...createExperimentSlice(options.spec ?? DEFAULT_SPEC, options.presetId)(set, get),
    ...createRunsSlice(set, get),
    ...createUiSlice(options.maxParallel ?? 1)(set, get),
    ...createClassroomSlice(set, get),
    ...createArchiveSlice(set, get),
    ...createLandscapeSlice(set, get),
    ...createDatasetSlice(set, get),
  }));
}
