// The run worker's message handler: it hosts every run the page gives it, one session per run
// (runSession.ts), and routes each message to its run's session by runId. The runs share the
// worker's backend and wasm heap, so three runs cost one worker's memory rather than three; they
// take turns between steps as the page grants them. The endpoint and the platform pieces (backend
// start-up, data loading, GPU device loss) come in from outside, so the same handler runs in a
// browser worker and, in tests, in Node over a MessageChannel.
import type { FromWorker, ToWorker } from './protocol';
import { createRunSession, type HandlerDeps, type RunSession } from './runSession';
import { createSplitCache } from './splitCache';

export type { HandlerDeps } from './runSession';

/** What the handler needs of a message port: a worker's global scope and a MessagePort both fit. */
export interface Endpoint {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export function attachRunHandler(endpoint: Endpoint, deps: HandlerDeps): void {
  const sessions = new Map<string, RunSession>();
  const post = (message: FromWorker, transfer: Transferable[] = []) => endpoint.postMessage(message, transfer);
  const splits = createSplitCache(deps.loadData, deps.sharedMemory ?? false, post);
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
    if (!session && msg.type === 'start')
      sessions.set(msg.runId, (session = createRunSession(post, { ...deps, loadData: splits.forRun(msg) })));
    session?.receive(msg); // a message for a run this worker does not host (already disposed): dropped
  });
}
