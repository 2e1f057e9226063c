// The results format, written by the Node runner and by the page (README documents it; keep it stable).
import type { BackendName } from '../backend';
import type { ExperimentSpec, Method } from '../spec';
import type { AttackProbe } from './attackProbe';

export type RunStatus = 'queued' | 'training' | 'paused' | 'done' | 'diverged' | 'stopped' | 'interrupted' | 'error';

export interface HistoryPoint {
  epoch: number;
  step: number;
  /** Mean training loss and accuracy since the previous history point (NaN at step 0). */
  trainLoss: number;
  trainAcc: number;
  cleanAcc: number;
  /**
   * Robust accuracy per attack, keyed by attackKey(): "<norm>:<eps as in the spec>" (PGD), and on the
   * last evaluation apgdKey(): "<norm>:<eps>:apgd" (APGD-CE + targeted APGD-DLR) when spec.eval.apgd is on.
   */
  robust: Record<string, number>;
  cleanLoss?: number;
  /** The attack checks' measurements (last evaluation only). */
  probe?: AttackProbe;
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
