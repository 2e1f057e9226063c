// The results format, written by the Node runner and by the page (README documents it; keep it stable).
import { BACKEND_NAMES } from '../backend';
import type { DualityPoint } from '../duality/dualityPoint';
import type { ExperimentSpec, Method } from '../spec';
import type { AttackProbe } from './attackProbe';

export const RUN_STATUSES = [
  'queued',
  'training',
  'paused',
  'done',
  'diverged',
  'stopped',
  'interrupted',
  'error',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

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
  /** What SAM's first-layer weight perturbation does to the input, at each evaluation (core/duality). */
  duality?: DualityPoint[];
}

/** Where the runs trained: a tfjs backend of the lab, or the exported PyTorch project's train.py. */
export const RESULTS_BACKENDS = [...BACKEND_NAMES, 'pytorch'] as const;
export type ResultsBackend = (typeof RESULTS_BACKENDS)[number];

export interface Results {
  spec: ExperimentSpec;
  backend: ResultsBackend;
  runs: RunResult[];
}
