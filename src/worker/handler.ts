// The run worker's message handler: it hosts every run the page gives it, one session per run
// (runSession.ts), and routes each message to its run's session by runId. The runs share the
// worker's backend and wasm heap, so three runs cost one worker's memory rather than three; they
// take turns between steps as the page grants them. The endpoint and the platform pieces (backend
// start-up, data loading, GPU device loss) come in from outside, so the same handler runs in a
// browser worker and, in tests, in Node over a MessageChannel.
import type { DatasetSplit } from '../core/data/dataset';
import type { FromWorker, ToWorker } from './protocol';
import { createRunSession, type HandlerDeps, type RunSession } from './runSession';

export type { HandlerDeps } from './runSession';

/** What the handler needs of a message port: a worker's global scope and a MessagePort both fit. */
export interface Endpoint {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export function attachRunHandler(endpoint: Endpoint, deps: HandlerDeps): void {
  const sessions = new Map<string, RunSession>();
  const post = (message: FromWorker, transfer: Transferable[] = []) => endpoint.postMessage(message, transfer);
  // The runs of an experiment train on the same split (its dataset and seed): the first to ask
  // loads it, and the runs after it here read that one copy (nothing writes to a dataset).
  const splits = new Map<string, Promise<DatasetSplit>>();
  const sessionDeps: HandlerDeps = {
    ...deps,
    loadData(spec, onProgress) {
      const key = JSON.stringify([spec.dataset, spec.seed]);
      let split = splits.get(key);
      if (!split) {
        split = deps.loadData(spec, onProgress);
        splits.set(key, split);
        split.catch(() => splits.delete(key)); // a failed load is tried again by the next run
      }
      return split;
    },
  };

  endpoint.addEventListener('message', (event) => {
    const msg = event.data as ToWorker;
    if (typeof msg !== 'object' || msg === null || typeof msg.runId !== 'string') {
      post({ type: 'error', runId: '', kind: 'protocol', message: `not a run message: ${JSON.stringify(msg)}` });
      return;
    }
    if (msg.type === 'dispose') {
      // The page lets go of the run: its session stops and frees its model, and says nothing more.
      // The answer follows everything the session said before, so the page knows when what it
      // hears of this run id comes from a new session (a Restart in this same worker).
      sessions.get(msg.runId)?.receive(msg);
      sessions.delete(msg.runId);
      post({ type: 'disposed', runId: msg.runId });
      return;
    }
    let session = sessions.get(msg.runId);
    // A run that hands its data to other workers (shareData) moves it into shared memory: the split
    // it loaded is not kept here besides.
    if (!session && msg.type === 'start')
      sessions.set(msg.runId, (session = createRunSession(post, msg.shareData ? deps : sessionDeps)));
    session?.receive(msg); // a message for a run this worker does not host (already disposed): dropped
  });
}
