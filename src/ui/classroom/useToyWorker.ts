// Runs the classroom toy in its worker: a debounced request per change, at most one in flight, and
// only the newest pending experiment sent next, so dragging a slider never queues stale runs.
import { useEffect, useRef, useState } from 'react';
import type { ToyComparison, ToyExperiment } from '../../core/toy/toyTrain';
import type { ToyReply, ToyRequest } from '../../worker/toyProtocol';

export interface ToyRunState {
  result?: ToyComparison;
  error?: string;
  /** Milliseconds the last comparison took in the worker. */
  ms?: number;
  busy: boolean;
}

const DEBOUNCE_MS = 120;

export function useToyWorker(experiment: ToyExperiment): ToyRunState {
  const [state, setState] = useState<ToyRunState>({ busy: true });
  const worker = useRef<Worker | null>(null);
  const inFlight = useRef(false);
  const pending = useRef<ToyRequest | null>(null);
  const nextId = useRef(0);

  useEffect(() => {
    const w = new Worker(new URL('../../worker/toyWorker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<ToyReply>) => {
      inFlight.current = false;
      const reply = e.data;
      const next = pending.current;
      pending.current = null;
      if (next) {
        inFlight.current = true;
        w.postMessage(next);
      }
      // A reply to a request that a newer one has replaced is still shown: it is the freshest we have.
      setState(reply.ok ? { result: reply.result, ms: reply.ms, busy: next !== null } : { error: reply.error, busy: next !== null });
    };
    w.onerror = (e) => {
      inFlight.current = false;
      setState({ error: e.message || 'the toy worker failed', busy: false });
    };
    return () => {
      w.terminate();
      worker.current = null;
      inFlight.current = false;
      pending.current = null;
    };
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => {
      const w = worker.current;
      if (!w) return;
      const request: ToyRequest = { id: ++nextId.current, experiment };
      setState((s) => ({ ...s, busy: true }));
      if (inFlight.current) pending.current = request;
      else {
        inFlight.current = true;
        w.postMessage(request);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [experiment]);

  return state;
}
