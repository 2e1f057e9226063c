// The results format, written by the Node runner and by the page (README documents it; keep it stable).
import type { BackendName } from '../backend';
import type { ExperimentSpec, Method } from '../spec';

export const RUN_STATUSES = ['queued', 'training', 'paused', 'done', 'diverged', 'stopped', 'interrupted', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface HistoryPoint {
  epoch: number;
  step: number;
  /** Mean training loss and accuracy since the previous history point (NaN at step 0). */
  trainLoss: number;
  trainAcc: number;
  cleanAcc: number;
  /** Robust accuracy per attack, keyed by attackKey(): "<norm>:<eps as in the spec>". */
  robust: Record<string, number>;
  cleanLoss?: number;
}

export interface RunResult {
  id: string;
  method: Method;
  status: RunStatus;
  history: HistoryPoint[];
  msPerStep: number;
  error?: string;
}

export interface Results {
  spec: ExperimentSpec;
  backend: BackendName;
  runs: RunResult[];
}
