// The messages between the page and the classroom worker, which runs one SGD / SAM / AT comparison
// of the theory model (core/toy/toyTrain.ts) per request. Replies carry the request id.
import type { ToyComparison, ToyExperiment } from '../core/toy/toyTrain';

export interface ClassroomRequest {
  id: number;
  experiment: ToyExperiment;
}

export type ClassroomReply =
  { id: number; ok: true; result: ToyComparison; ms: number } | { id: number; ok: false; error: string };
