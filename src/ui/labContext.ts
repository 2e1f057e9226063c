// The store and the run controller, handed to components through context (tests may mount their own).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from '../state/labStore';
import type { RunController } from '../state/runController';

export interface Lab {
  store: LabStore;
  controller: RunController;
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
