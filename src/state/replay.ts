// Replaying a recorded run: the recording cut at a training step, as if its runs had trained side
// by side up to there. At 1x the replay takes the time the recording took per step (its slowest
// run's ms/step, the pace of runs stepping side by side); the last frame is the recording itself.
import type { Recording } from '../core/recording';
import type { HistoryPoint } from '../core/train/results';

export const REPLAY_SPEEDS = [1, 2, 5, 10, 20] as const;

export interface ReplayFrame {
  /** Each run's evaluations up to the step, in the spec's run order. */
  histories: HistoryPoint[][];
  /** Each run's per-step training losses up to the step. */
  losses: number[][];
}

/** The last step any run of the recording reached. */
export function replaySteps(rec: Recording): number {
  return Math.max(0, ...rec.results.runs.map((r) => r.history.at(-1)?.step ?? 0));
}

/** Milliseconds of one replayed step at 1x. */
export function replayMsPerStep(rec: Recording): number {
  return Math.max(1, ...rec.results.runs.map((r) => r.msPerStep));
}

/** The recording as it stood after `step` training steps. */
export function replayAt(rec: Recording, step: number): ReplayFrame {
  const runs = rec.results.spec.runs.map((s) => rec.results.runs.find((r) => r.id === s.id));
  return {
    histories: runs.map((r) => (r ? r.history.filter((p) => p.step <= step) : [])),
    losses: rec.results.spec.runs.map((s) => (rec.losses[s.id] ?? []).slice(0, Math.max(0, Math.floor(step)))),
  };
}
