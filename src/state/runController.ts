// Starts, steers and ends the run workers: one dedicated worker per run, at most maxParallel at a
// time (the rest wait queued). Worker messages go through a buffer into the store, at most ten
// flushes a second. A worker that dies (its 'error' event) puts only its own run in error; the
// user can restart that run alone.
import type { LandscapeKind } from '../core/landscape/results';
import { validateSpec } from '../core/spec';
import { LANDSCAPE_KINDS } from '../core/landscape/request';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../worker/protocol';
import type { LabStore } from './labStore';
import { createMessageBuffer, type Timer } from './messageBuffer';
import { isFinal } from './runView';

/** The part of a Worker the controller uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
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

export function createRunController(store: LabStore, createWorker: () => WorkerLike, options: { flushMs?: number; timer?: Timer } = {}): RunController {
  const workers = new Map<string, WorkerLike>();
  let queue: string[] = [];
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
    options.flushMs ?? 100,
    options.timer,
  );

  const end = (id: string) => {
    workers.get(id)?.terminate();
    workers.delete(id);
    ended.delete(id);
    for (const [requestId, w] of weightsWaiting)
      if (w.runId === id) {
        weightsWaiting.delete(requestId);
        w.reject(new Error('the run\'s worker was ended before it answered'));
      }
  };

  function launch(id: string) {
    const spec = store.getState().trainedSpec;
    if (!spec) return;
    const worker = createWorker();
    workers.set(id, worker);
    worker.addEventListener('message', (event) => {
      if (workers.get(id) !== worker) return; // a terminated worker's last words
      const msg = event.data;
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
        // The worker stays alive with the trained model; it no longer counts against maxParallel.
        ended.add(id);
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
    worker.postMessage({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: id, spec });
  }

  function pump() {
    const { maxParallel } = store.getState();
    while (!held && queue.length > 0 && workers.size - ended.size < maxParallel) launch(queue.shift()!);
  }

  const training = (id: string) => workers.has(id) && !ended.has(id);
  const targets = (id?: string) => (id === undefined ? [...workers.keys()].filter(training) : training(id) ? [id] : []);

  return {
    train() {
      const checked = validateSpec(store.getState().spec);
      if (!checked.ok) return false;
      this.reset();
      store.getState().resetRuns(checked.spec);
      queue = checked.spec.runs.map((r) => r.id);
      pump();
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
      store.getState().requeueRun(id);
      store.getState().clearLandscapes(id);
      queue = [id, ...queue.filter((q) => q !== id)];
      pump();
    },
    reset() {
      for (const id of [...workers.keys()]) end(id);
      queue = [];
      held = false;
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
