// The classroom toy's worker: runs one SGD / SAM / AT comparison per request off the main thread, so
// the sliders stay responsive while it trains (a run takes tens to hundreds of milliseconds).
// Replies carry the request id; the page drops replies to requests it has since replaced.
import { runToyComparison, type ToyComparison, type ToyExperiment } from '../core/toy/toyTrain';

export interface ToyRequest {
  id: number;
  experiment: ToyExperiment;
}

export type ToyReply = { id: number; ok: true; result: ToyComparison; ms: number } | { id: number; ok: false; error: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<ToyRequest>) => void) | null; postMessage(m: ToyReply): void };

scope.onmessage = (e) => {
  const { id, experiment } = e.data;
  const start = performance.now();
  try {
    scope.postMessage({ id, ok: true, result: runToyComparison(experiment), ms: performance.now() - start });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
