// CONTRACT (interfaces fixed; implementation to be filled in by the training-core work).
// One Trainer trains one run of an experiment, one optimiser step at a time, so that the caller
// (the worker in the page, the CLI in Node) can pause, stop and interleave landscapes between steps.
import type { DatasetSplit } from '../data/dataset';
import type { Model } from '../model/model';
import type { ExperimentSpec, RunSpec } from '../spec';
import type { HistoryPoint, RunResult, RunStatus } from './results';

export interface StepRecord {
  /** Steps done after this one (1-based). */
  step: number;
  /** Fractional epoch after this step. */
  epoch: number;
  loss: number;
  acc: number;
  lr: number;
}

export interface Trainer {
  readonly spec: ExperimentSpec;
  readonly run: RunSpec;
  readonly model: Model;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  readonly stepsDone: number;
  /** 'training' until the last step, then 'done'; 'diverged' after a non-finite loss. */
  readonly status: RunStatus;
  /** One optimiser step of the run's method. */
  step(): Promise<StepRecord>;
  /** True when an evaluation is due now (at step 0, every spec.eval.every epochs, and after the last step). */
  evalDue(): boolean;
  /** Clean and robust accuracy on the fixed evaluation subset, eval mode. */
  evaluate(): Promise<HistoryPoint>;
  dispose(): void;
}

export declare function createTrainer(spec: ExperimentSpec, runId: string, data: DatasetSplit): Trainer;

export interface TrainerControl {
  onStep?(record: StepRecord): void;
  onEval?(point: HistoryPoint): void;
  /** Awaited between steps: resolves when training may go on (pause), or returns 'stop'. */
  checkpoint?(): Promise<'go' | 'stop'>;
}

/** Drives a trainer to the end: steps, evaluations when due, divergence, timing. */
export declare function runTrainer(trainer: Trainer, control?: TrainerControl): Promise<RunResult>;
