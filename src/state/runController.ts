// Starts, steers and ends the run workers: one dedicated worker per run, at most maxParallel at a
// time (the rest wait queued). Worker messages go through a buffer into the store, at most ten
// flushes a second. A worker that dies (its 'error' event) puts only its own run in error; the
// user can restart that run alone.
import { validateSpec } from '../core/spec';
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
}

export function createRunController(store: LabStore, createWorker: () => WorkerLike, options: { flushMs?: number; timer?: Timer } = {}): RunController {
  const workers = new Map<string, WorkerLike>();
  let queue: string[] = [];
  /** Set by "pause all": queued runs wait until "resume all". */
  let held = false;
  const buffer = createMessageBuffer<FromWorker>((batch) => store.getState().applyWorkerMessages(batch), options.flushMs ?? 100, options.timer);

  const end = (id: string) => {
    workers.get(id)?.terminate();
    workers.delete(id);
  };

  function launch(id: string) {
    const spec = store.getState().trainedSpec;
    if (!spec) return;
    const worker = createWorker();
    workers.set(id, worker);
    worker.addEventListener('message', (event) => {
      if (workers.get(id) !== worker) return; // a terminated worker's last words
      const msg = event.data;
      buffer.push(msg);
      if (msg.type === 'done' || msg.type === 'error') {
        end(id);
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
    while (!held && queue.length > 0 && workers.size < maxParallel) launch(queue.shift()!);
  }

  const targets = (id?: string) => (id === undefined ? [...workers.keys()] : workers.has(id) ? [id] : []);

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
      queue = [id, ...queue.filter((q) => q !== id)];
      pump();
    },
    reset() {
      for (const id of [...workers.keys()]) end(id);
      queue = [];
      held = false;
      buffer.clear();
      store.getState().resetRuns(undefined);
    },
  };
}
