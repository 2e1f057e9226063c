// Starts, steers and ends the runs in run workers: a worker hosts several runs (maxWorkers, one by
// default: the runs share its backend and wasm heap, worker/handler.ts), and a worker whose last run
// is let go of is ended. Runs start together (at most LIVE_RUNS training at once; the rest wait
// queued) and take turns of a few steps, at most maxParallel stepping at a time (turnScheduler.ts),
// so runs move side by side. The first run to step computes the step-0 evaluation; the others take
// it (same seed, same weights: the same point). Worker messages go through a buffer into the store,
// at most ten flushes a second. A run that fails puts only itself in error; a worker that dies (its
// 'error' event) puts the runs it hosted in error. Either way the user can restart a run alone.
import type { BackendDecision, BackendName } from '../core/backend';
import type { DatasetSplit } from '../core/data/dataset';
import type { LandscapeKind } from '../core/landscape/results';
import { validateSpec, type ExperimentSpec } from '../core/spec';
import { LANDSCAPE_KINDS } from '../core/landscape/request';
import {
  isTraining,
  transition,
  type LifecycleAnnouncement,
  type RunEvent,
  type RunPhase,
} from '../core/run/lifecycle';
import type { EvalScores } from '../core/train/evaluate';
import { splitBuffers } from '../worker/dataTransfer';
import { PROTOCOL_VERSION, type FromWorker, type SharedStart, type ToWorker } from '../worker/protocol';
import type { LabStore } from './labStore';
import { createMessageBuffer, type Timer } from './messageBuffer';
import { isFinal } from './runView';
import { nextTurns, turnLength } from './turnScheduler';
import type { WorkerClient } from './workerClient';

/**
 * Runs that train at the same time (models, optimiser state and their share of the wasm heap), so a
 * large grid does not start all at once; three covers every preset but the grid.
 */
const LIVE_RUNS = 3;

/** A run worker as the controller sees it (a fake in tests). */
export type WorkerLike = WorkerClient<ToWorker, FromWorker>;

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
  /**
   * Gives an ended run the weights of a .safetensors file; resolves with their evaluation, rejects
   * with why they were refused. A run shown from saved or imported results first gets a worker that
   * builds its model without training (start mode 'open'); it keeps that worker only once weights
   * were taken, and its shown history is never touched.
   */
  openWeights(id: string, bytes: ArrayBuffer): Promise<OpenedWeights>;
}

export interface OpenedWeights {
  scores: EvalScores;
  metadata: Record<string, string>;
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
  /** Hears when a Train starts an experiment, a run is restarted, or Reset clears the runs (persistence). */
  announce?(a: LifecycleAnnouncement): void;
  /**
   * Run workers alive at once; runs share them (each new run goes to the one hosting fewest). One by
   * default: each worker holds a wasm heap as large as its largest moment and never gives it back.
   * On the 2-core test machine (wasm, bench 2026-12-02) one worker for three runs peaked at about
   * 350 MB for the default preset and 565 MB for CIFAR-10 (5k), against about 500 MB and 1.2 GB
   * with a worker per run, which stepped 1.9x as fast (6.0 steps a second against 3.1).
   */
  maxWorkers?: number;
}

/** A run worker and the runs it hosts now. */
interface Host {
  worker: WorkerLike;
  runs: Set<string>;
  /** Runs let go of ('dispose' sent) whose 'disposed' has not come back: what they still say is dropped. */
  letGo: Map<string, number>;
}

interface RunEntry {
  /** Where the run is in its life (core/run/lifecycle.ts), as this page last sent or heard. */
  phase: RunPhase;
  /** The worker hosting it, from its start until the page lets go of it. */
  worker?: WorkerLike;
  /** Start order while queued: the spec's order, a Restart before all. */
  rank: number;
  /** Its worker was started in 'open' mode for a weights file (no training): it reports nothing into the run's view. */
  opened?: boolean;
}

export function createRunController(
  store: LabStore,
  createWorker: () => WorkerLike,
  options: RunControllerOptions = {},
): RunController {
  const runs = new Map<string, RunEntry>();
  const hosts: Host[] = [];
  const maxWorkers = Math.max(1, options.maxWorkers ?? 1);
  /** Moves a run's phase; false (and no move) when the event is refused in its phase. */
  const move = (id: string, event: RunEvent) => {
    const run = runs.get(id);
    const next = run && transition(run.phase, event);
    if (next !== undefined) run!.phase = next;
    return next !== undefined;
  };
  const queued = () =>
    [...runs]
      .filter(([, r]) => r.phase === 'queued')
      .sort((a, b) => a[1].rank - b[1].rank)
      .map(([id]) => id);
  const trainingCount = () => [...runs.values()].filter((r) => isTraining(r.phase)).length;
  let restarts = 0;
  /** The backend 'auto' resolved to for the current experiment. */
  let chosen: BackendName | undefined;
  /** True while 'auto' is being measured: no run starts. */
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
  const clock = options.clock ?? {
    now: () => performance.now(),
    every: (ms: number, callback: () => void) => void setInterval(callback, ms),
  };
  /** Runs that have had their first turn. */
  const begun = new Set<string>();
  /** The step-0 evaluation, once the leader (the first run to step) has computed it. */
  let sharedStart: SharedStart | undefined;
  let leader: string | undefined;
  /** Runs whose view already shows the shared step-0 point. */
  const shown = new Set<string>();
  // The data: the first run's worker loads it and keeps it for every run it hosts; with several
  // workers it also hands it over ('data-ready') for the other workers' first runs, so no worker
  // generates or fetches and parses it again.
  /**
   * The data the first run's worker handed over: one split in shared memory that every worker
   * reads (a restarted run's new worker too), or copies for the other workers, each given away once
   * (transferred).
   */
  let sharedData: { shared?: DatasetSplit; copies: DatasetSplit[] } | undefined;
  /** Copies the data source was asked for that have not come yet: the next run waits for one rather than load its own. */
  let copiesDue = 0;
  let dataSource: string | undefined;
  let landscapeRequests = 0;
  /** Weights requests waiting for their worker's reply, by request id. */
  const weightsWaiting = new Map<
    string,
    { runId: string; resolve(bytes: ArrayBuffer): void; reject(e: Error): void }
  >();
  let weightsRequests = 0;
  const openWaiting = new Map<
    string,
    { runId: string; resolve(opened: OpenedWeights): void; reject(e: Error): void }
  >();
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

  /** Rejects the run's weights and open-weights requests still waiting for an answer. */
  function rejectWaiting(id: string, message: string) {
    for (const waiting of [weightsWaiting, openWaiting] as Map<string, { runId: string; reject(e: Error): void }>[])
      for (const [requestId, w] of waiting)
        if (w.runId === id) {
          waiting.delete(requestId);
          w.reject(new Error(message));
        }
  }

  /** Lets go of a run in its worker ('release' when it is over or trained again, 'fail' when it failed); a worker left with no run is ended. */
  const end = (id: string, why: 'release' | 'fail') => {
    const run = runs.get(id);
    const host = hosts.find((h) => h.worker === run?.worker);
    if (host) {
      host.runs.delete(id);
      if (host.runs.size === 0) {
        host.worker.terminate();
        hosts.splice(hosts.indexOf(host), 1);
      } else {
        host.letGo.set(id, (host.letGo.get(id) ?? 0) + 1);
        host.worker.postMessage({ type: 'dispose', runId: id });
      }
    }
    if (run) run.worker = undefined;
    move(id, why);
    leaveTurns(id);
    rejectWaiting(id, "the run's worker was ended before it answered");
    // An opened run without its worker has no weights again.
    if (run?.opened) {
      run.opened = false;
      store.getState().setRestored(id, true);
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
    if (dataSource === id) copiesDue = 0; // no more will come
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
    const ready = [...waiting].filter(
      ([id, p]) => (begun.has(id) || sharedStart || leader === undefined || leader === id) && p - slowest <= lead,
    );
    const ids = nextTurns(
      ready.map(([id, progress]) => ({ id, progress, order: order(id), group: runs.get(id)?.worker })),
      stepping.size,
      store.getState().maxParallel,
      new Set([...stepping].map((id) => runs.get(id)?.worker)),
    );
    for (const id of ids) {
      if (!begun.has(id) && !sharedStart) {
        if (leader !== undefined && leader !== id) continue;
        leader = id;
      }
      const initialPoint =
        !begun.has(id) && sharedStart && runBackend(id) === sharedStart.backend ? sharedStart : undefined;
      showSharedStart(id);
      begun.add(id);
      waiting.delete(id);
      stepping.add(id);
      lastHeard.set(id, clock.now()); // silence counts from the turn, not from the wait
      runs.get(id)?.worker?.postMessage({ type: 'turn', runId: id, steps: turnLength(spec), initialPoint });
    }
  }

  /** One message from a run's live worker. */
  function hear(id: string, msg: FromWorker) {
    switch (msg.type) {
      case 'data-ready':
        if (msg.shared) sharedData = { shared: msg.data, copies: [] };
        else (sharedData ??= { copies: [] }).copies.push(msg.data);
        copiesDue = msg.shared ? 0 : Math.max(0, copiesDue - 1);
        pump();
        return;
      case 'want-turn':
        stepping.delete(id);
        waiting.set(id, msg.progress);
        progress.set(id, msg.progress);
        grantTurns();
        return;
      case 'weights-reply': {
        const waiting = weightsWaiting.get(msg.requestId);
        weightsWaiting.delete(msg.requestId);
        if (msg.bytes) waiting?.resolve(msg.bytes);
        else waiting?.reject(new Error(msg.message ?? 'no weights'));
        return;
      }
      case 'weights-opened': {
        const waiting = openWaiting.get(msg.requestId);
        openWaiting.delete(msg.requestId);
        if (msg.scores) waiting?.resolve({ scores: msg.scores, metadata: msg.metadata ?? {} });
        else waiting?.reject(new Error(msg.message ?? 'the weights were not opened'));
        return;
      }
      case 'status':
        if (msg.backend) backends.set(id, msg.backend);
        // The worker parked (a paused run frees its place) or stepped on after a resume.
        if (msg.status === 'paused') {
          move(id, 'park');
          leaveTurns(id);
          grantTurns();
        } else if (msg.status === 'training') move(id, 'resume');
        buffer.push(msg);
        return;
      case 'metrics':
        if (msg.point.step === 0 && id === leader && !sharedStart) {
          const backend = runBackend(id);
          if (backend) {
            sharedStart = { point: msg.point, backend };
            buffer.push(msg);
            for (const other of store.getState().runOrder) if (other !== id) showSharedStart(other);
            grantTurns();
            return;
          }
        }
        buffer.push(msg);
        return;
      case 'error':
        // An opened run's worker failed to load: the weights were not opened, and the run's view stays as it was.
        if (runs.get(id)?.opened) rejectWaiting(id, msg.message);
        else buffer.push(msg);
        end(id, 'fail');
        pump();
        return;
      case 'done':
        buffer.push(msg);
        // The worker stays alive with the trained model; it no longer counts as training.
        move(id, 'finish');
        leaveTurns(id);
        pump();
        return;
      case 'disposed': // answered by the worker's listener (openHost)
        return;
      case 'alive':
      case 'progress':
      case 'landscape-start':
      case 'landscape-partial':
      case 'landscape-done':
      case 'landscape-cancelled':
      case 'data-progress':
        buffer.push(msg);
        return;
      default: {
        const unknown: never = msg;
        throw new Error(`unknown worker message ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** A new run worker: what it says goes to the run it names, while the page still has that run there. */
  function openHost(): Host {
    const host: Host = { worker: createWorker(), runs: new Set(), letGo: new Map() };
    hosts.push(host);
    host.worker.addEventListener('message', (event) => {
      const msg = event.data;
      const id = msg.runId;
      if (msg.type === 'disposed') {
        const left = (host.letGo.get(id) ?? 0) - 1;
        if (left > 0) host.letGo.set(id, left);
        else host.letGo.delete(id);
        return;
      }
      // The last words of a run let go of (or of a worker already ended) are dropped.
      if (host.letGo.has(id) || !host.runs.has(id) || runs.get(id)?.worker !== host.worker) return;
      // Any word shows the worker lives, and its runs take turns in it: none of them is silent.
      for (const r of host.runs) lastHeard.set(r, clock.now());
      hear(id, msg);
    });
    host.worker.addEventListener('error', (event) => {
      if (!hosts.includes(host)) return;
      event.preventDefault?.();
      buffer.flush();
      for (const r of [...host.runs]) {
        store.getState().markCrashed(r, `the worker crashed: ${event.message || 'no message'}`);
        // An ended run keeps its results but its weights went with the worker: the page says so.
        if (runs.get(r)?.phase === 'ended') store.getState().setRestored(r, true);
        end(r, 'fail');
      }
      pump();
    });
    return host;
  }

  /** The worker a new run joins: none while fewer than maxWorkers live (it opens one), else the one hosting fewest runs. */
  function placement(): Host | undefined {
    return hosts.length < maxWorkers ? undefined : hosts.reduce((a, b) => (b.runs.size < a.runs.size ? b : a));
  }

  function launch(
    id: string,
    data: { data?: DatasetSplit; shareData?: number },
    mode: 'train' | 'open' = 'train',
    host = placement() ?? openHost(),
  ) {
    const spec = store.getState().trainedSpec;
    if (!spec) return;
    const worker = host.worker;
    host.runs.add(id);
    const run = runs.get(id)!;
    run.worker = worker;
    move(id, mode === 'open' ? 'open' : 'start');
    // An opened run takes no turns: it must not count as the slowest run of the turn order.
    if (mode === 'train') progress.set(id, 0);
    lastHeard.set(id, clock.now());
    if (mode === 'open')
      worker.postMessage({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: id, spec, backend: chosen, mode });
    else
      worker.postMessage(
        {
          type: 'start',
          protocolVersion: PROTOCOL_VERSION,
          runId: id,
          spec,
          backend: chosen,
          ...data,
        },
        data.data ? splitBuffers(data.data) : [],
      );
  }

  /** A worker for an ended run that has none (shown from saved or imported results): its model, built without training. */
  function launchOpen(id: string): WorkerLike | undefined {
    const s = store.getState();
    const view = s.runs[id];
    if (!view || !isFinal(view.status) || !s.trainedSpec?.runs.some((r) => r.id === id)) return undefined;
    const run = runs.get(id) ?? { phase: 'released', rank: 0 };
    runs.set(id, run);
    if (run.phase !== 'queued') move(id, 'requeue');
    run.opened = true;
    launch(id, {}, 'open');
    return run.worker;
  }

  function pump() {
    if (!store.getState().trainedSpec) return;
    // Nothing starts while 'auto' measures: the probe's timed steps and the data's loading buffers
    // are then never in the page at once (bench: CIFAR-10 peaked at 760 MB with both).
    if (choosing) return;
    const live = Math.max(LIVE_RUNS, store.getState().maxParallel);
    for (let next = queued(); next.length > 0 && trainingCount() < live; next = queued()) {
      const host = placement();
      // A worker keeps the data its first run loaded or brought, for every run it hosts (worker/splitCache.ts).
      if (host) launch(next[0], {}, 'train', host);
      // A new worker is handed the data source's split: shared, or a copy of its own.
      else if (sharedData && (sharedData.shared || sharedData.copies.length > 0 || copiesDue === 0))
        launch(next[0], { data: sharedData.shared ?? sharedData.copies.shift() }); // no copy left (a Restart): it loads its own
      else if (dataSource === undefined) {
        dataSource = next[0];
        // One copy for each other worker that the runs starting now will open.
        copiesDue = Math.max(0, Math.min(next.length, live - trainingCount(), maxWorkers) - 1);
        launch(next[0], copiesDue > 0 ? { shareData: copiesDue } : {});
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
    choosing = true;
    const decided = () => {
      choosing = false;
      pump();
    };
    void choose(spec).then(
      (decision) => {
        if (mine !== generation) return;
        chosen = decision.backend;
        store.getState().setBackendChoice({
          state: 'chosen',
          backend: decision.backend,
          reason: decision.reason,
          measuredAt: decision.measuredAt,
        });
        decided();
      },
      (err: unknown) => {
        if (mine !== generation) return;
        // Measuring failed (no backend finished a step): each worker falls back on its own.
        store
          .getState()
          .setBackendChoice({ state: 'failed', reason: err instanceof Error ? err.message : String(err) });
        decided();
      },
    );
  }

  /** Marks a silent run failed, with a Restart: the worker may have ended without a word. */
  function checkLiveness() {
    const s = store.getState();
    for (const [id, run] of [...runs]) {
      if (!run.worker) continue;
      const silent = clock.now() - (lastHeard.get(id) ?? clock.now());
      const excused = run.phase === 'ended' || run.phase === 'paused' || waiting.has(id);
      if (excused || silent < SILENCE_LIMIT_MS) continue;
      buffer.flush();
      s.markCrashed(id, `the worker stopped responding (nothing for ${Math.round(silent / 1000)} s): restart the run`);
      end(id, 'fail');
      pump();
    }
  }
  clock.every(SILENCE_LIMIT_MS / 6, checkLiveness);

  /** The runs a pause, resume or stop of `id` (all when undefined) goes to: those that are training. */
  const targets = (id?: string) =>
    [...runs]
      .filter(([r, run]) => (id === undefined || r === id) && isTraining(run.phase) && run.worker)
      .map(([r, run]) => [r, run.worker!] as const);
  /** The runs not yet started that a stop of `id` (all when undefined) ends without a worker. */
  const notStarted = (id?: string) =>
    [...runs]
      .filter(([r, run]) => (id === undefined || r === id) && (run.phase === 'queued' || run.phase === 'held'))
      .map(([r]) => r);

  return {
    train() {
      const checked = validateSpec(store.getState().spec);
      if (!checked.ok) return false;
      this.reset();
      store.getState().resetRuns(checked.spec);
      checked.spec.runs.forEach((r, rank) => runs.set(r.id, { phase: 'queued', rank }));
      options.announce?.({ type: 'experimentStarted' });
      start(checked.spec);
      return true;
    },
    pause(id) {
      // "Pause all" holds the runs not yet started too, until "resume all".
      if (id === undefined) for (const q of runs.keys()) move(q, 'hold');
      for (const [t, worker] of targets(id)) {
        move(t, 'pause');
        worker.postMessage({ type: 'pause', runId: t });
      }
    },
    resume(id) {
      if (id === undefined) for (const q of runs.keys()) move(q, 'unhold');
      for (const [t, worker] of targets(id)) {
        move(t, 'resume');
        worker.postMessage({ type: 'resume', runId: t });
      }
      pump();
    },
    stop(id) {
      for (const [t, worker] of targets(id)) {
        move(t, 'stop');
        worker.postMessage({ type: 'stop', runId: t });
      }
      for (const q of notStarted(id)) {
        move(q, 'stop');
        store.getState().markStopped(q);
      }
    },
    restart(id) {
      const view = store.getState().runs[id];
      if (!view || !isFinal(view.status)) return;
      buffer.flush();
      end(id, 'release');
      begun.delete(id);
      shown.delete(id);
      store.getState().requeueRun(id);
      store.getState().clearLandscapes(id);
      // A run shown from saved data has no entry yet: it is queued like any other.
      const run = runs.get(id) ?? { phase: 'released', rank: 0 };
      run.opened = false;
      runs.set(id, run);
      move(id, 'requeue');
      run.rank = -++restarts;
      options.announce?.({ type: 'runRestarted', runId: id });
      showSharedStart(id);
      pump();
    },
    reset() {
      generation++;
      for (const id of [...runs.keys()]) end(id, 'release');
      runs.clear();
      chosen = undefined;
      sharedStart = undefined;
      leader = undefined;
      sharedData = undefined;
      copiesDue = 0;
      dataSource = undefined;
      choosing = false;
      begun.clear();
      backends.clear();
      shown.clear();
      progress.clear();
      buffer.clear();
      store.getState().resetRuns(undefined);
      store.getState().clearLandscapes();
      options.announce?.({ type: 'experimentReset' });
    },
    landscape(id, kinds = LANDSCAPE_KINDS) {
      const worker = runs.get(id)?.worker;
      if (!worker) return false;
      const requestId = `page-${++landscapeRequests}`;
      store.getState().landscapeRequested(id, requestId);
      worker.postMessage({ type: 'landscape', runId: id, requestId, kinds });
      return true;
    },
    cancelLandscape(id, requestId) {
      runs.get(id)?.worker?.postMessage({ type: 'landscape-cancel', runId: id, requestId });
    },
    requestWeights(id) {
      const worker = runs.get(id)?.worker;
      if (!worker)
        return Promise.reject(
          new Error('the weights are only in the page that trained the run, until Reset or a reload'),
        );
      const requestId = `weights-${++weightsRequests}`;
      return new Promise<ArrayBuffer>((resolve, reject) => {
        weightsWaiting.set(requestId, { runId: id, resolve, reject });
        worker.postMessage({ type: 'weights', runId: id, requestId });
      });
    },
    openWeights(id, bytes) {
      const live = runs.get(id)?.worker;
      const worker = live ?? launchOpen(id);
      if (!worker)
        return Promise.reject(new Error('weights open into an ended run: stop the run (or let it finish) first'));
      const requestId = `open-${++weightsRequests}`;
      const opened = new Promise<OpenedWeights>((resolve, reject) => {
        openWaiting.set(requestId, { runId: id, resolve, reject });
        worker.postMessage({ type: 'open-weights', runId: id, requestId, bytes }, [bytes]);
      });
      if (live) return opened;
      // A new worker keeps the run only with weights in it: a refused file ends it (its model is untrained).
      return opened.then(
        (result) => {
          store.getState().setRestored(id, false);
          return result;
        },
        (err: unknown) => {
          if (runs.get(id)?.worker === worker) end(id, 'release');
          throw err;
        },
      );
    },
  };
}
