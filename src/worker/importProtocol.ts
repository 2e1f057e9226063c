// The messages between the page and the dataset import worker (one import per worker).
import type { DatasetName } from '../core/spec';

/** main -> worker: the files the user dropped or picked. */
export interface ImportRequest {
  files: File[];
}

/** worker -> main */
export type ImportReply =
  | { type: 'step'; step: string; loaded: number; total: number }
  | { type: 'done'; dataset: DatasetName; train: number; test: number }
  | { type: 'error'; message: string };
