// Runs the classroom's theory-model comparisons in the classroom worker: a debounced request per
// change, at most one in flight, and only the newest pending experiment sent next, so dragging a
// slider never queues stale runs. The worker starts with the first request and ends on close().
import type { ToyComparison, ToyExperiment } from '../core/toy/toyTrain';
import type { ClassroomReply, ClassroomRequest } from '../worker/classroomProtocol';
import type { WorkerClient } from './workerClient';

export interface ClassroomState {
  result?: ToyComparison;
  error?: string;
  /** Milliseconds the last comparison took in the worker. */
  ms?: number;
  busy: boolean;
}

export interface ClassroomController {
  /** Compares SGD, SAM and AT on `experiment` once the changes pause for DEBOUNCE_MS. */
  compare(experiment: ToyExperiment): void;
  getState(): ClassroomState;
  /** For useSyncExternalStore: returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Ends the worker (the panel closed); the next compare starts a new one. */
  close(): void;
}

export const DEBOUNCE_MS = 120;

export function createClassroomController(
  createWorker: () => WorkerClient<ClassroomRequest, ClassroomReply>,
  timer: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void } = {
    set: (cb, ms) => setTimeout(cb, ms),
    clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  },
): ClassroomController {
  let state: ClassroomState = { busy: true };
  const listeners = new Set<() => void>();
  const set = (next: ClassroomState) => {
    state = next;
    for (const l of [...listeners]) l();
  };
  let worker: WorkerClient<ClassroomRequest, ClassroomReply> | undefined;
  let inFlight = false;
  let pending: ClassroomRequest | undefined;
  let nextId = 0;
  let debounce: unknown;

  function open(): WorkerClient<ClassroomRequest, ClassroomReply> {
    const w = createWorker();
    w.addEventListener('message', ({ data: reply }) => {
      if (w !== worker) return;
      inFlight = false;
      const next = pending;
      pending = undefined;
      if (next) {
        inFlight = true;
        w.postMessage(next);
      }
      // A reply to a request that a newer one has replaced is still shown: it is the freshest there is.
      set(
        reply.ok
          ? { result: reply.result, ms: reply.ms, busy: next !== undefined }
          : { error: reply.error, busy: next !== undefined },
      );
    });
    w.addEventListener('error', (e) => {
      if (w !== worker) return;
      inFlight = false;
      set({ error: e.message || 'the classroom worker failed', busy: false });
    });
    return w;
  }

  return {
    compare(experiment) {
      timer.clear(debounce);
      debounce = timer.set(() => {
        worker ??= open();
        const request: ClassroomRequest = { id: ++nextId, experiment };
        set({ ...state, busy: true });
        if (inFlight) pending = request;
        else {
          inFlight = true;
          worker.postMessage(request);
        }
      }, DEBOUNCE_MS);
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      timer.clear(debounce);
      worker?.terminate();
      worker = undefined;
      inFlight = false;
      pending = undefined;
    },
  };
}
