// The messages between the page and a run worker. A worker hosts one or more runs (handler.ts);
// every message names its run, which routes it to that run's session and lets the page drop what
// a run it has let go of still said.
import type { BackendName } from '../core/backend';
import type { DatasetSplit } from '../core/data/dataset';
import type { ExperimentSpec } from '../core/spec';
import type { EvalScores } from '../core/train/evaluate';
import type { HistoryPoint, RunResult, RunStatus } from '../core/train/results';
import type { LandscapeCost, LandscapeKind, LandscapeResult } from '../core/landscape/results';

/** Bumped whenever a message changes shape: a page and a worker from different builds refuse each other. */
export const PROTOCOL_VERSION = 7;

// ---- main -> worker ------------------------------------------------------------------------------

export interface StartMessage {
  type: 'start';
  protocolVersion: number;
  runId: string;
  /** The whole experiment: the worker trains spec.runs[id === runId] with the shared seed and data. */
  spec: ExperimentSpec;
  /** The backend the page chose for 'auto' (by measuring); absent: the spec's own choice. */
  backend?: BackendName;
  /**
   * The experiment's data, as another worker's run loaded it (shared or a copy): every run of an
   * experiment trains on the same split. Kept by this worker for the runs it hosts after this one.
   */
  data?: DatasetSplit;
  /**
   * Hand the data, once loaded, to this many other runs ('data-ready'): one shared copy where this
   * worker may post SharedArrayBuffers, else this many copies (buffers transferred).
   */
  shareData?: number;
  /**
   * 'open': load the data and build the run's model without training (lifecycle event 'open'), for
   * an OpenWeightsMessage; the worker reports no status, progress, metrics or result, so the run's
   * shown history stays as it was. Absent: 'train'.
   */
  mode?: 'train' | 'open';
}
/**
 * Lets the run take `steps` optimiser steps (the page interleaves runs when fewer can run at once
 * than the experiment has). The first turn of a run may carry the step-0 evaluation another run
 * of the experiment computed: every run starts from the same weights, so it is the same point.
 */
export interface TurnMessage {
  type: 'turn';
  runId: string;
  steps: number;
  initialPoint?: SharedStart;
}
/** A step-0 evaluation and the backend that computed it (a point is only reused on the same backend). */
export interface SharedStart {
  point: HistoryPoint;
  backend: BackendName;
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
/** Computes landscapes of the run's current weights between steps (while training, paused or after done). */
export interface LandscapeRequestMessage {
  type: 'landscape';
  runId: string;
  /** Chosen by the page; echoed by every landscape message about this request. */
  requestId: string;
  kinds: LandscapeKind[];
}
export interface LandscapeCancelMessage {
  type: 'landscape-cancel';
  runId: string;
  requestId: string;
}
/**
 * Lets go of the run, whatever it is doing: training stops at the next checkpoint, the model is
 * freed, and the run says nothing more but a DisposedMessage (the worker may host other runs).
 */
export interface DisposeMessage {
  type: 'dispose';
  runId: string;
}
/** Asks for the run's current weights as a .safetensors file (while training, paused or after done). */
export interface WeightsRequestMessage {
  type: 'weights';
  runId: string;
  requestId: string;
}
/**
 * Replaces an ended run's weights with a .safetensors file of the same model (the lab's export, or
 * the exported PyTorch project's): evaluated at once, then landscapes and sharpness measure them.
 */
export interface OpenWeightsMessage {
  type: 'open-weights';
  runId: string;
  requestId: string;
  bytes: ArrayBuffer;
}
export type ToWorker =
  | StartMessage
  | TurnMessage
  | PauseMessage
  | ResumeMessage
  | StopMessage
  | LandscapeRequestMessage
  | LandscapeCancelMessage
  | DisposeMessage
  | WeightsRequestMessage
  | OpenWeightsMessage;

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
/** Why a landscape was computed: after an evaluation ('eval', when spec.landscape.when is 'every-eval'), at the end ('end'), or asked for ('manual'). */
export type LandscapeTrigger = 'eval' | 'end' | 'manual';
/** A landscape computation begins, stamped with the training point it measures. */
export interface LandscapeStartMessage {
  type: 'landscape-start';
  runId: string;
  requestId: string;
  trigger: LandscapeTrigger;
  kinds: LandscapeKind[];
  step: number;
  epoch: number;
  /** estimateLandscapeCost of the request. */
  estimate: LandscapeCost;
}
/** One result as it grows (per point of a 1-D slice, per row of a 2-D one) and when it is whole. */
export interface LandscapePartialMessage {
  type: 'landscape-partial';
  runId: string;
  requestId: string;
  result: LandscapeResult;
  /** Fraction of the whole request done, by estimated passes. */
  progress: number;
}
export interface LandscapeDoneMessage {
  type: 'landscape-done';
  runId: string;
  requestId: string;
  results: LandscapeResult[];
  /** Wall time of the whole request, milliseconds. */
  ms: number;
}
/** Cancelled, or failed (message set): the run itself goes on. */
export interface LandscapeCancelledMessage {
  type: 'landscape-cancelled';
  runId: string;
  requestId: string;
  message?: string;
}
/** Bytes of the dataset files fetched so far while a run loads its data. */
export interface DataProgressMessage {
  type: 'data-progress';
  runId: string;
  dataset: string;
  loaded: number;
  total: number;
  file: string;
}
export type LandscapeFromWorker =
  LandscapeStartMessage | LandscapePartialMessage | LandscapeDoneMessage | LandscapeCancelledMessage;
/** The answer to a WeightsRequestMessage: the file's bytes (transferred), or why there are none. */
export interface WeightsReplyMessage {
  type: 'weights-reply';
  runId: string;
  requestId: string;
  bytes?: ArrayBuffer;
  message?: string;
}
/** The answer to an OpenWeightsMessage: the opened weights' final evaluation and the file's metadata, or why they were refused (the weights are then unchanged). */
export interface WeightsOpenedMessage {
  type: 'weights-opened';
  runId: string;
  requestId: string;
  scores?: EvalScores;
  metadata?: Record<string, string>;
  message?: string;
}
/** The run has used its turn (or has just started) and waits for the next; `progress` is the fraction of its steps done. */
export interface WantTurnMessage {
  type: 'want-turn';
  runId: string;
  progress: number;
}
/**
 * The loaded split for the other runs, when the start message asked: in shared memory (every run
 * reads it, a restarted run too), or one copy, its buffers transferred, for one run.
 */
export interface DataReadyMessage {
  type: 'data-ready';
  runId: string;
  data: DatasetSplit;
  shared: boolean;
}
/** Sent now and then during long silent work (an evaluation), so the page knows the worker lives and what it does. */
export interface AliveMessage {
  type: 'alive';
  runId: string;
  /** E.g. "final evaluation: APGD L∞ 8/255". */
  activity: string;
}
/** The answer to a DisposeMessage: nothing more of that session follows (the run id may start again). */
export interface DisposedMessage {
  type: 'disposed';
  runId: string;
}
export type FromWorker =
  | AliveMessage
  | DisposedMessage
  | DataReadyMessage
  | WantTurnMessage
  | StatusMessage
  | ProgressMessage
  | MetricsMessage
  | ErrorMessage
  | DoneMessage
  | LandscapeFromWorker
  | DataProgressMessage
  | WeightsReplyMessage
  | WeightsOpenedMessage;
