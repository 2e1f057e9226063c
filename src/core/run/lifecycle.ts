// The life of one run, as its worker (worker/handler.ts) and the page's run controller
// (state/runController.ts) both follow it: one phase union and one pure transition function. The
// worker moves on the messages it gets and on what its training loop reaches; the page moves on what
// it sends and on what the worker reports, so the two agree once the messages have crossed.
// Persistence (state/persistence.ts) hears the experiment-level announcements below.

export const RUN_PHASES = [
  'queued',
  'held',
  'training',
  'pausing',
  'paused',
  'stopping',
  'ended',
  'released',
  'failed',
] as const;
/**
 * - queued: waits for a place among the live workers (page); has had no start message (worker).
 *   'open' skips training: the worker loads the data and builds the model to take a weights file
 *   (a run shown from saved or imported results), so the run is ended, with a model, from the start.
 * - held: queued, and kept from starting by "pause all" until "resume all".
 * - training: started: loads its data, starts its backend, then steps whenever it holds a turn.
 * - pausing: asked to pause; steps on until its next checkpoint.
 * - paused: parked at a checkpoint, holding no turn; landscapes and weights are answered now.
 * - stopping: asked to stop; ends at its next checkpoint.
 * - ended: training is over; the worker keeps the trained model (landscapes, weights) until released.
 * - released: no model and no work: freed, stopped before it began, or (page) its worker ended.
 * - failed: it reported an error or its worker died; it says nothing more.
 */
export type RunPhase = (typeof RUN_PHASES)[number];

export const RUN_EVENTS = [
  'start',
  'open',
  'hold',
  'unhold',
  'pause',
  'park',
  'resume',
  'stop',
  'finish',
  'release',
  'fail',
  'requeue',
] as const;
export type RunEvent = (typeof RUN_EVENTS)[number];

const NEXT: Record<RunPhase, Partial<Record<RunEvent, RunPhase>>> = {
  queued: { start: 'training', open: 'ended', hold: 'held', stop: 'released', fail: 'failed' },
  held: { unhold: 'queued', stop: 'released', fail: 'failed' },
  // 'park' from training: the worker reports a pause the page has since taken back (the resume is on its way).
  training: {
    pause: 'pausing',
    park: 'paused',
    stop: 'stopping',
    finish: 'ended',
    release: 'released',
    fail: 'failed',
  },
  pausing: {
    park: 'paused',
    resume: 'training',
    stop: 'stopping',
    finish: 'ended',
    release: 'released',
    fail: 'failed',
  },
  paused: { resume: 'training', stop: 'stopping', release: 'released', fail: 'failed' },
  stopping: { finish: 'ended', release: 'released', fail: 'failed' },
  ended: { release: 'released', fail: 'failed' },
  // A Restart trains an ended run again from scratch.
  released: { requeue: 'queued', fail: 'failed' },
  failed: { requeue: 'queued' },
};

/** The phase `event` leads to from `phase`, or undefined when the event is refused there (the caller stays put). */
export function transition(phase: RunPhase, event: RunEvent): RunPhase | undefined {
  return NEXT[phase][event];
}

/** Started and not yet ended: counts against the live workers, and takes pause, resume and stop. */
export const isTraining = (phase: RunPhase) =>
  phase === 'training' || phase === 'pausing' || phase === 'paused' || phase === 'stopping';

/**
 * What the run controller announces to whoever keeps the experiment (persistence): a Train began a
 * new experiment, one run was restarted, or Reset cleared the runs. The store's own changes then
 * say what each run did.
 */
export type LifecycleAnnouncement =
  { type: 'experimentStarted' } | { type: 'runRestarted'; runId: string } | { type: 'experimentReset' };

export interface LifecycleAnnouncements {
  announce(a: LifecycleAnnouncement): void;
  /** Returns the unsubscribe. */
  listen(listener: (a: LifecycleAnnouncement) => void): () => void;
}

export function createLifecycleAnnouncements(): LifecycleAnnouncements {
  const listeners = new Set<(a: LifecycleAnnouncement) => void>();
  return {
    announce(a) {
      for (const l of [...listeners]) l(a);
    },
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
