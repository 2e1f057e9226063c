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
}

/** The runs to give a turn now: the least advanced waiting ones, as many as there are free places. */
export function nextTurns(waiting: readonly TurnCandidate[], stepping: number, places: number): string[] {
  const free = Math.max(0, places - stepping);
  return [...waiting]
    .sort((a, b) => a.progress - b.progress || a.order - b.order)
    .slice(0, free)
    .map((c) => c.id);
}

/**
 * Steps in one turn: a quarter of the evaluation interval (at least one step), so runs stay well
 * within one evaluation of each other while a turn still outlasts the message round trip.
 */
export function turnLength(spec: ExperimentSpec): number {
  const stepsPerEpoch = Math.max(1, Math.floor(spec.dataset.trainSize / spec.train.batchSize));
  return Math.max(1, Math.round((stepsPerEpoch * spec.eval.every) / 4));
}
