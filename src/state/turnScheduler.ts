// Which runs step next, when fewer can step at once than the experiment has. Runs take turns of a
// few steps; the run furthest behind (by the fraction of its steps done) goes first, so every run
// shows points within seconds and their epochs stay within one turn of each other: the charts then
// compare runs at the same epoch while they train.
import type { ExperimentSpec } from '../core/spec';

export interface TurnCandidate {
  id: string;
  /** Fraction of the run's steps done, in [0, 1]. */
  progress: number;
  /** Position in the spec: ties go to the earlier run. */
  order: number;
  /**
   * The worker hosting it (none: a worker of its own). One run of a worker steps at a time: runs
   * sharing its thread gain nothing from stepping together, and their tensors would add up in its heap.
   */
  group?: unknown;
}

/**
 * The runs to give a turn now: the least advanced waiting ones, as many as there are free places,
 * at most one per group and none of a group in `busy` (the groups of the runs stepping now).
 */
export function nextTurns(
  waiting: readonly TurnCandidate[],
  stepping: number,
  places: number,
  busy: ReadonlySet<unknown> = new Set(),
): string[] {
  const taken = new Set(busy);
  const granted: string[] = [];
  for (const c of [...waiting].sort((a, b) => a.progress - b.progress || a.order - b.order)) {
    if (granted.length >= places - stepping) break;
    if (c.group !== undefined && taken.has(c.group)) continue;
    if (c.group !== undefined) taken.add(c.group);
    granted.push(c.id);
  }
  return granted;
}

/**
 * Steps in one turn: a quarter of the evaluation interval (at least one step), so runs stay well
 * within one evaluation of each other while a turn still outlasts the message round trip.
 */
export function turnLength(spec: ExperimentSpec): number {
  const stepsPerEpoch = Math.max(1, Math.floor(spec.dataset.trainSize / spec.train.batchSize));
  return Math.max(1, Math.round((stepsPerEpoch * spec.eval.every) / 4));
}
