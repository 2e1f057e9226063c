// The theory panel's view of the classroom controller (state/classroomController.ts): asks for a
// comparison whenever the experiment changes, and ends the worker when the panel goes.
import { useEffect, useSyncExternalStore } from 'react';
import type { ToyExperiment } from '../../core/toy/toyTrain';
import type { ClassroomState } from '../../state/classroomController';
import { useLabContext } from '../labContext';

export function useClassroomComparison(experiment: ToyExperiment): ClassroomState {
  const { classroom } = useLabContext();
  const state = useSyncExternalStore(classroom.subscribe, classroom.getState);
  useEffect(() => () => classroom.close(), [classroom]);
  useEffect(() => classroom.compare(experiment), [classroom, experiment]);
  return state;
}
