// Run-level data that other slices keep beside the RunView (landscapes, ...), saved with each run
// without the persistence code knowing what it is: each part says how to read a run's value from
// the store (compared by identity to notice a change) and how to put a saved value back.
import type { LabState } from './labStore';
import { landscapePart } from './landscapePart';

export interface RunDataPart {
  /** Key of the value in a saved run's `extras`. */
  key: string;
  read(state: LabState, runId: string): unknown;
  /** The state update that restores a saved value (called once per run, in run order). */
  restore(state: LabState, runId: string, value: unknown): Partial<LabState>;
}

/** The parts saved with every run. A slice that keeps run-level data adds its part here. */
export const RUN_DATA_PARTS: RunDataPart[] = [landscapePart];
