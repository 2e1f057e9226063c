// The store and the controllers made in main.tsx, handed to components through context (tests may
// mount their own). The UI reaches the workers only through these controllers.
import { createContext, useContext, useDeferredValue } from 'react';
import { useStore } from 'zustand';
import type { ClassroomController } from '../state/classroomController';
import type { DatasetController } from '../state/datasetController';
import type { LabState, LabStore } from '../state/labStore';
import type { RunController } from '../state/runController';

export interface Lab {
  store: LabStore;
  /** The run workers: Train, pause, landscapes, weights. */
  controller: RunController;
  /** Which datasets are ready, and the import worker for dropped files. */
  datasets: DatasetController;
  /** The classroom worker's theory-model comparisons. */
  classroom: ClassroomController;
}

export const LabContext = createContext<Lab | undefined>(undefined);

export function useLabContext(): Lab {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('LabContext is missing');
  return lab;
}

/** Reads one narrow slice of the store; the component re-renders only when it changes. */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabContext().store, selector);
}

/**
 * useLab for the large parts of the page that may follow a change by a frame (the form's lock, the
 * run cards, the charts): React renders them after the urgent update, in slices, so the Train
 * click's own task stays short. startTransition would not do: a store update renders synchronously.
 */
export function useLabDeferred<T>(selector: (s: LabState) => T): T {
  return useDeferredValue(useLab(selector));
}
