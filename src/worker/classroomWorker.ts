// The classroom worker: runs one SGD / SAM / AT comparison of the theory model per request off the
// main thread, so the sliders stay responsive while it trains (a run takes tens to hundreds of
// milliseconds). The page drops replies to requests it has since replaced (state/classroomController.ts).
import { runToyComparison } from '../core/toy/toyTrain';
import type { ClassroomReply, ClassroomRequest } from './classroomProtocol';

const post = (reply: ClassroomReply) => self.postMessage(reply);

self.onmessage = (e: MessageEvent<ClassroomRequest>) => {
  const { id, experiment } = e.data;
  const start = performance.now();
  try {
    post({ id, ok: true, result: runToyComparison(experiment), ms: performance.now() - start });
  } catch (err) {
    post({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
