// The messages between the page and a run's worker. One dedicated worker trains one run; every
// message names that run so a stale message from a terminated worker can be recognised and dropped.
import type { BackendName } from '../core/backend';
import type { ExperimentSpec } from '../core/spec';
import type { HistoryPoint, RunResult, RunStatus } from '../core/train/results';

/** Bumped whenever a message changes shape: a page and a worker from different builds refuse each other. */
export const PROTOCOL_VERSION = 1;

// ---- main -> worker ------------------------------------------------------------------------------

export interface StartMessage {
  type: 'start';
  protocolVersion: number;
  runId: string;
  /** The whole experiment: the worker trains spec.runs[id === runId] with the shared seed and data. */
  spec: ExperimentSpec;
}
export interface PauseMessage {
  type: 'pause';
  runId: string;
}
export interface ResumeMessage {
  type: 'resume';
  runId: string;
}
export interface StopMessage {
  type: 'stop';
  runId: string;
}
export type ToWorker = StartMessage | PauseMessage | ResumeMessage | StopMessage;

// ---- worker -> main ------------------------------------------------------------------------------

export interface StatusMessage {
  type: 'status';
  runId: string;
  status: RunStatus;
  /** The tfjs backend really in use, once it has started. */
  backend?: BackendName;
}
export interface ProgressMessage {
  type: 'progress';
  runId: string;
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  acc: number;
  imagesPerSec: number;
}
export interface MetricsMessage {
  type: 'metrics';
  runId: string;
  point: HistoryPoint;
}
export type WorkerErrorKind = 'exception' | 'device-lost' | 'protocol';
export interface ErrorMessage {
  type: 'error';
  runId: string;
  message: string;
  kind: WorkerErrorKind;
}
export interface DoneMessage {
  type: 'done';
  runId: string;
  result: RunResult;
}
export type FromWorker = StatusMessage | ProgressMessage | MetricsMessage | ErrorMessage | DoneMessage;
