// Starts, steers and ends the run workers: one dedicated worker per run. Workers start together (at
// most LIVE_WORKERS training at once; the rest wait queued) and take turns of a few steps, at most
// maxParallel stepping at a time (turnScheduler.ts), so runs move side by side. The first run to
// step computes the step-0 evaluation; the others take it (same seed, same weights: the same point).
// Worker messages go through a buffer into the store, at most ten flushes a second. A worker that
// dies (its 'error' event) puts only its own run in error; the user can restart that run alone.
import type { BackendDecision, BackendName } from '../core/backend';
import type { DatasetSplit } from '../core/data/dataset';
import type { LandscapeKind } from '../core/landscape/results';
import { validateSpec, type ExperimentSpec } from '../core/spec';
import { LANDSCAPE_KINDS } from '../core/landscape/request';
import { splitBuffers } from '../worker/dataTransfer';
import { PROTOCOL_VERSION, type FromWorker, type SharedStart, type ToWorker } from '../worker/protocol';
import type { LabStore } from './labStore';
import { createMessageBuffer, type Timer } from './messageBuffer';
import { isFinal } from './runView';
import { nextTurns, turnLength } from './turnScheduler';

/**
 * Runs whose workers train at the same time. Each worker holds its own copy of the data (a CIFAR-10
 * worker about 400 MB), so a large grid does not start all at once; three covers every preset but the grid.
 */
const LIVE_WORKERS = 3;

/** The part of a Worker the controller uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: FromWorker }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault?(): void }) => void): void;
  terminate(): void;
}

export interface RunController {
  /** Validates the edited spec and trains all its runs; false (and nothing started) when invalid. */
  train(): boolean;
  pause(id?: string): void;
  resume(id?: string): void;
  stop(id?: string): void;
  /** Trains one ended run again from scratch with the spec the experiment was started with. */
  restart(id: string): void;
  /** Ends every worker and forgets the runs. */
  reset(): void;
  /** Asks a run's worker (training, paused or ended) for landscapes of its weights now; false when it has none. */
  landscape(id: string, kinds?: LandscapeKind[]): boolean;
  cancelLandscape(id: string, requestId: string): void;
  /** The run's current weights as a .safetensors file, from its live worker (training, paused or ended); rejects with the reason when there are none. */
  requestWeights(id: string): Promise<ArrayBuffer>;
}

/** A training run's worker that says nothing for this long (not waiting its turn, not paused) is taken for dead. */
export const SILENCE_LIMIT_MS = 90_000;

export interface RunControllerOptions {
  flushMs?: number;
  timer?: Timer;
  /** The clock of the liveness check (a fake in tests). */
  clock?: { now(): number; every(ms: number, callback: () => void): void };
  /** Decides the backend of a spec whose train.backend is 'auto' (by measuring); absent: each worker decides alone. */
  chooseBackend?(spec: ExperimentSpec): Promise<BackendDecision>;
}

export function createRunController(store: LabStore, createWorker: () => WorkerLike, options: RunControllerOptions = {}): RunController {
  const workers = new Map<string, WorkerLike>();
  let queue: string[] = [];
  /** The backend 'auto' resolved to for the current experiment. */
  let chosen: BackendName | undefined;
  /** True while 'auto' is being measured: only the data source starts (its data loads meanwhile). */
  let choosing = false;
  /** Bumped by every Train and Reset: a backend choice that comes back later is for an older experiment. */
  let generation = 0;
  // Turns (see turnScheduler.ts): runs waiting for one, with their progress; runs stepping now.
  const waiting = new Map<string, number>();
  const stepping = new Set<string>();
  /** Last reported progress of every run that takes turns (stepping, waiting, or not yet begun: 0). */
  const progress = new Map<string, number>();
  /** When each worker last said anything. A worker can end without an 'error' event (self.close()). */
  const lastHeard = new Map<string, number>();
  const clock = options.clock ?? { now: () => performance.now(), every: (ms: number, callback: () => void) => void setInterval(callback, ms) };
  /** Runs that have had their first turn. */
  const begun = new Set<string>();
  /** The step-0 evaluation, once the leader (the first run to step) has computed it. */
  let sharedStart: SharedStart | undefined;
  let leader: string | undefined;
  /** Runs whose view already shows the shared step-0 point. */
  const shown = new Set<string>();
  // The data: the first run's worker loads it and hands a copy over ('data-ready'); the other runs
  // start with it instead of generating or fetching and parsing it again.
  /** Copies of the data the first run's worker made for the others, each given away once (transferred). */
  let sharedData: DatasetSplit[] | undefined;
  let dataSource: string | undefined;
  /** Set by "pause all": queued runs wait until "resume all". */
  let held = false;
  /** Runs whose training has ended but whose worker stays alive holding the model (landscapes). */
  const ended = new Set<string>();
  let landscapeRequests = 0;
  /** Weights requests waiting for their worker's reply, by request id. */
  const weightsWaiting = new Map<string, { runId: string; resolve(bytes: ArrayBuffer): void; reject(e: Error): void }>();
  let weightsRequests = 0;
  const buffer = createMessageBuffer<FromWorker>(
    (batch) => {
      const s = store.getState();
      s.applyWorkerMessages(batch);
      s.applyLandscapeMessages(batch);
      s.applyDataMessages(batch);
    },
    options.flushMs,
    options.timer,
  );

  const end = (id: string) => {
    workers.get(id)?.terminate();
    workers.delete(id);
    ended.delete(id);
    leaveTurns(id);
    for (const [requestId, w] of weightsWaiting)
      if (w.runId === id) {
        weightsWaiting.delete(requestId);
        w.reject(new Error('the run\'s worker was ended before it answered'));
      }
  };

  /**
   * A run that no longer steps (ended, paused, crashed) leaves the turn order. A leader that never
   * shared its point hands the lead on; a data source that never sent its data hands that on.
   */
  function leaveTurns(id: string) {
    waiting.delete(id);
    stepping.delete(id);
    progress.delete(id);
    if (leader === id && !sharedStart) leader = undefined;
    if (dataSource === id && !sharedData) dataSource = undefined;
  }

  const order = (id: string) => store.getState().runOrder.indexOf(id);
  /** The backend each worker reported, read from its messages as they come (the store sees them a flush later). */
  const backends = new Map<string, BackendName>();
  const runBackend = (id: string) => backends.get(id);

  /** Shows the shared step-0 point on a run that has not computed its own (it will take it on its first turn). */
  function showSharedStart(id: string) {
    if (!sharedStart || shown.has(id) || begun.has(id)) return;
    const backend = runBackend(id) ?? chosen;
    if (backend !== sharedStart.backend) return;
    shown.add(id);
    buffer.push({ type: 'metrics', runId: id, point: sharedStart.point });
  }

  function grantTurns() {
    const spec = store.getState().trainedSpec;
    if (!spec) return;
    // Until the leader has its step-0 point, the others wait for it rather than compute it again.
    // With several places, a run may not get more than half an evaluation ahead of the slowest
    // run still training: places stay idle rather than let the charts compare different epochs.
    const slowest = Math.min(...progress.values());
    const lead = spec.eval.every / spec.train.epochs / 2;
    const ready = [...waiting].filter(([id, p]) => (begun.has(id) || sharedStart || leader === undefined || leader === id) && p - slowest <= lead);
    const ids = nextTurns(
      ready.map(([id, progress]) => ({ id, progress, order: order(id) })),
      stepping.size,
      store.getState().maxParallel,
    );
    for (const id of ids) {
      if (!begun.has(id) && !sharedStart) {
        if (leader !== undefined && leader !== id) continue;
        leader = id;
      }
      const initialPoint = !begun.has(id) && sharedStart && runBackend(id) === sharedStart.backend ? sharedStart : undefined;
      showSharedStart(id);
      begun.add(id);
      waiting.delete(id);
      stepping.add(id);
      lastHeard.set(id, clock.now()); // silence counts from the turn, not from the wait
      workers.get(id)?.postMessage({ type: 'turn', runId: id, steps: turnLength(spec), initialPoint });
    }
  }

  function launch(id: string, data: { data?: DatasetSplit; shareData?: number }) {
    const spec = store.getState().trainedSpec;
    if (!spec) return;
    const worker = createWorker();
    workers.set(id, worker);
    progress.set(id, 0);
    lastHeard.set(id, clock.now());
    worker.addEventListener('message', (event) => {
      if (workers.get(id) !== worker) return; // a terminated worker's last words
      const msg = event.data;
      lastHeard.set(id, clock.now());
      if (msg.type === 'alive') return;
      if (msg.type === 'status' && msg.backend) backends.set(id, msg.backend);
      if (msg.type === 'data-ready') {
        (sharedData ??= []).push(msg.data);
        pump();
        return;
      }
      if (msg.type === 'want-turn') {
        stepping.delete(id);
        waiting.set(id, msg.progress);
        progress.set(id, msg.progress);
        grantTurns();
        return;
      }
      if (msg.type === 'metrics' && msg.point.step === 0 && id === leader && !sharedStart) {
        const backend = runBackend(id);
        if (backend) {
          sharedStart = { point: msg.point, backend };
          buffer.push(msg);
          for (const other of store.getState().runOrder) if (other !== id) showSharedStart(other);
          grantTurns();
          return;
        }
      }
      if (msg.type === 'status' && msg.status === 'paused') {
        leaveTurns(id);
        grantTurns();
      }
      if (msg.type === 'weights-reply') {
        const waiting = weightsWaiting.get(msg.requestId);
        weightsWaiting.delete(msg.requestId);
        if (msg.bytes) waiting?.resolve(msg.bytes);
        else waiting?.reject(new Error(msg.message ?? 'no weights'));
        return;
      }
      buffer.push(msg);
      if (msg.type === 'error') {
        end(id);
        pump();
      } else if (msg.type === 'done') {
        // The worker stays alive with the trained model; it no longer counts as training.
        ended.add(id);
        leaveTurns(id);
        pump();
      }
    });
    worker.addEventListener('error', (event) => {
      if (workers.get(id) !== worker) return;
      event.preventDefault?.();
      buffer.flush();
      store.getState().markCrashed(id, `the worker crashed: ${event.message || 'no message'}`);
      end(id);
      pump();
    });
    worker.postMessage({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: id, spec, backend: chosen, backendPending: choosing || undefined, ...data }, data.data ? splitBuffers(data.data) : []);
  }

  function pump() {
    const live = Math.max(LIVE_WORKERS, store.getState().maxParallel);
    while (!held && queue.length > 0 && workers.size - ended.size < live) {
      if (sharedData && !choosing) launch(queue.shift()!, { data: sharedData.shift() }); // none left (a Restart): it loads its own
      else if (dataSource === undefined) {
        dataSource = queue[0];
        launch(queue.shift()!, { shareData: Math.min(queue.length, live - 1) });
      } else break; // the others start once the data is there
    }
    grantTurns();
  }

  /** Resolves 'auto' once per experiment (measured, or remembered), then starts the runs. */
  function start(spec: ExperimentSpec) {
    const choose = options.chooseBackend;
    if (spec.train.backend !== 'auto' || !choose) return pump();
    const mine = generation;
    store.getState().setBackendChoice({ state: 'measuring' });
    // The first run's worker loads the data while the backends are timed, and waits for the choice.
    choosing = true;
    pump();
    const decided = () => {
      choosing = false;
      for (const [id, worker] of workers) worker.postMessage({ type: 'backend', runId: id, backend: chosen });
      pump();
    };
    void choose(spec).then(
      (decision) => {
        if (mine !== generation) return;
        chosen = decision.backend;
        store.getState().setBackendChoice({ state: 'chosen', backend: decision.backend, reason: decision.reason, measuredAt: decision.measuredAt });
        decided();
      },
      (err: unknown) => {
        if (mine !== generation) return;
        // Measuring failed (no backend finished a step): each worker falls back on its own.
        store.getState().setBackendChoice({ state: 'failed', reason: err instanceof Error ? err.message : String(err) });
        decided();
      },
    );
  }

  /** Marks a silent run failed, with a Restart: the worker may have ended without a word. */
  function checkLiveness() {
    const s = store.getState();
    for (const id of [...workers.keys()]) {
      const silent = clock.now() - (lastHeard.get(id) ?? clock.now());
      const excused = ended.has(id) || waiting.has(id) || s.runs[id]?.status === 'paused' || (choosing && id === dataSource);
      if (excused || silent < SILENCE_LIMIT_MS) continue;
      buffer.flush();
      s.markCrashed(id, `the worker stopped responding (nothing for ${Math.round(silent / 1000)} s): restart the run`);
      end(id);
      pump();
    }
  }
  clock.every(SILENCE_LIMIT_MS / 6, checkLiveness);

  const training = (id: string) => workers.has(id) && !ended.has(id);
  const targets = (id?: string) => (id === undefined ? [...workers.keys()].filter(training) : training(id) ? [id] : []);

  return {
    train() {
      const checked = validateSpec(store.getState().spec);
      if (!checked.ok) return false;
      this.reset();
      store.getState().resetRuns(checked.spec);
      queue = checked.spec.runs.map((r) => r.id);
      start(checked.spec);
      return true;
    },
    pause(id) {
      if (id === undefined) held = true;
      for (const t of targets(id)) workers.get(t)!.postMessage({ type: 'pause', runId: t });
    },
    resume(id) {
      if (id === undefined) held = false;
      for (const t of targets(id)) workers.get(t)!.postMessage({ type: 'resume', runId: t });
      pump();
    },
    stop(id) {
      for (const t of targets(id)) workers.get(t)!.postMessage({ type: 'stop', runId: t });
      const waiting = id === undefined ? queue : queue.filter((q) => q === id);
      queue = queue.filter((q) => !waiting.includes(q));
      for (const q of waiting) store.getState().markStopped(q);
      if (id === undefined) held = false;
    },
    restart(id) {
      const run = store.getState().runs[id];
      if (!run || !isFinal(run.status)) return;
      buffer.flush();
      end(id);
      begun.delete(id);
      shown.delete(id);
      store.getState().requeueRun(id);
      store.getState().clearLandscapes(id);
      queue = [id, ...queue.filter((q) => q !== id)];
      showSharedStart(id);
      pump();
    },
    reset() {
      generation++;
      for (const id of [...workers.keys()]) end(id);
      queue = [];
      held = false;
      chosen = undefined;
      sharedStart = undefined;
      leader = undefined;
      sharedData = undefined;
      dataSource = undefined;
      choosing = false;
      begun.clear();
      backends.clear();
      shown.clear();
      progress.clear();
      buffer.clear();
      store.getState().resetRuns(undefined);
      store.getState().clearLandscapes();
    },
    landscape(id, kinds = LANDSCAPE_KINDS) {
      const worker = workers.get(id);
      if (!worker) return false;
      const requestId = `page-${++landscapeRequests}`;
      store.getState().landscapeRequested(id, requestId);
      worker.postMessage({ type: 'landscape', runId: id, requestId, kinds });
      return true;
    },
    cancelLandscape(id, requestId) {
      workers.get(id)?.postMessage({ type: 'landscape-cancel', runId: id, requestId });
    },
    requestWeights(id) {
      const worker = workers.get(id);
      if (!worker) return Promise.reject(new Error('the weights are only in the page that trained the run, until Reset or a reload'));
      const requestId = `weights-${++weightsRequests}`;
      return new Promise<ArrayBuffer>((resolve, reject) => {
        weightsWaiting.set(requestId, { runId: id, resolve, reject });
        worker.postMessage({ type: 'weights', runId: id, requestId });
      });
    },
  };
}
