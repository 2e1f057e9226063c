// The classroom toy worker's messages (toyWorker.ts): one request per comparison, one reply per
// request, matched by id.
import type { ToyComparison, ToyExperiment } from '../core/toy/toyTrain';

export interface ToyRequest {
  id: number;
  experiment: ToyExperiment;
}

export type ToyReply =
  { id: number; ok: true; result: ToyComparison; ms: number } | { id: number; ok: false; error: string };
