// The classroom worker: runs one SGD / SAM / AT comparison of the theory model per request off the
// main thread, so the sliders stay responsive while it trains (a run takes tens to hundreds of
// milliseconds). The page drops replies to requests it has since replaced (state/classroomController.ts).
import { runToyComparison } from '../core/toy/toyTrain';
import type { ClassroomReply, ClassroomRequest } from './classroomProtocol';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ClassroomRequest>) => void) | null; postMessage(m: ClassroomReply): void };

scope.onmessage = (e) => {
  const { id, experiment } = e.data;
  const start = performance.now();
  try {
    scope.postMessage({ id, ok: true, result: runToyComparison(experiment), ms: performance.now() - start });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
