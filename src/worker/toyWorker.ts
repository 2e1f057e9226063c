// The classroom toy's worker: runs one SGD / SAM / AT comparison per request off the main thread, so
// the sliders stay responsive while it trains (a run takes tens to hundreds of milliseconds).
// Replies carry the request id; the page drops replies to requests it has since replaced.
import { runToyComparison } from '../core/toy/toyTrain';
import type { ToyReply, ToyRequest } from './toyProtocol';

const post = (reply: ToyReply) => self.postMessage(reply);

self.onmessage = (e: MessageEvent<ToyRequest>) => {
  const { id, experiment } = e.data;
  const start = performance.now();
  try {
    post({ id, ok: true, result: runToyComparison(experiment), ms: performance.now() - start });
  } catch (err) {
    post({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
