// One Trainer trains one run of an experiment, one optimiser step at a time, so that the caller
// (the worker in the page, the CLI in Node) can pause, stop and interleave landscapes between steps.
//
// Every run of an experiment shares its initial weights (Rng(seed).derive('init')), its batch
// order and augmentation (BatchSampler), its evaluation subset and evaluation attack starts: runs
// differ only by their method. An optimiser step is: the method's gradients (one BatchNorm 'train'
// pass, whose statistics are folded into the running buffers once), then SGD at the step's rate.
import * as tf from '@tensorflow/tfjs';
import { BatchSampler } from '../data/batches';
import type { Dataset, DatasetSplit } from '../data/dataset';
import { applyBatchStats, createBatchStatsCollector } from '../model/batchStats';
import { createModel } from '../model/createModel';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import type { ExperimentSpec, RunSpec } from '../spec';
import { evalSubset, evaluateModel } from './evaluate';
import { methodGradients, type MethodGradients } from './method';
import { disposeBatch, disposeLossAndGrads, toDeviceBatch } from './objective';
import type { HistoryPoint, RunResult, RunStatus } from './results';
import { learningRate } from './schedule';
import { Sgd } from './sgd';

/** PyTorch's BatchNorm momentum for the running statistics. */
export const BN_MOMENTUM = 0.1;

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
  /**
   * Clean and robust accuracy, eval mode: on the fixed evaluation subset with spec.eval's attack
   * after the last step, on its smaller 'during' subset and attack before.
   */
  evaluate(onBatch?: (activity: string) => void): Promise<HistoryPoint>;
  /** Takes the step-0 evaluation another run of the experiment computed (same seed, same weights) instead of its own. */
  adoptInitialEvaluation(point: HistoryPoint): void;
  dispose(): void;
}

class MethodTrainer implements Trainer {
  readonly run: RunSpec;
  readonly model: Model;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  stepsDone = 0;
  status: RunStatus = 'training';
  private readonly sampler: BatchSampler;
  private readonly optimiser: Sgd;
  private readonly gradients: MethodGradients;
  private readonly evalSet: Dataset;
  private readonly duringSet: Dataset;
  private readonly train: Dataset;
  /** Evaluation interval in steps (fractional); evaluations fall at round(k * interval). */
  private readonly evalInterval: number;
  private evalsScheduled = 0;
  private lastEvalStep = -1;
  private lossSum = 0;
  private accSum = 0;
  private stepsSinceEval = 0;

  constructor(
    readonly spec: ExperimentSpec,
    runId: string,
    data: DatasetSplit,
  ) {
    const run = spec.runs.find((r) => r.id === runId);
    if (!run) throw new Error(`no run "${runId}" in the spec (runs: ${spec.runs.map((r) => r.id).join(', ')})`);
    this.run = run;
    this.train = data.train;
    const { batchSize, epochs, augment, momentum, weightDecay } = spec.train;
    if (batchSize > data.train.n)
      throw new Error(`train.batchSize ${batchSize} exceeds the ${data.train.n} training examples`);
    const root = new Rng(spec.seed);
    // Augmentation is for images only; feature vectors train as they are.
    this.sampler = new BatchSampler(data.train, batchSize, root, { augment: augment && data.train.shape.length === 3 });
    this.stepsPerEpoch = this.sampler.batchesPerEpoch;
    this.totalSteps = Math.max(1, Math.floor(this.stepsPerEpoch * epochs));
    this.evalInterval = Math.max(1, spec.eval.every * this.stepsPerEpoch);
    this.evalSet = evalSubset(data.test, spec.eval.subsetSize, spec.seed);
    this.duringSet = evalSubset(data.test, Math.min(spec.eval.during.subsetSize, spec.eval.subsetSize), spec.seed);
    const { shape, numClasses, mean, std } = data.train;
    this.model = createModel(spec.model, { shape, numClasses, mean, std }, root.derive('init'));
    this.optimiser = new Sgd(this.model.params, momentum, weightDecay);
    this.gradients = methodGradients(run, this.model, data.train.bounded, root.derive('at-start'));
  }

  async step(): Promise<StepRecord> {
    if (this.status !== 'training') throw new Error(`run ${this.run.id} is ${this.status}: no more steps`);
    const lr = learningRate(
      this.spec.train.schedule,
      this.run.lr ?? this.spec.train.lr,
      this.stepsDone,
      this.totalSteps,
    );
    const b = this.sampler.next();
    const batch = toDeviceBatch(b.x, b.y, this.train.shape, this.train.numClasses);
    const stats = createBatchStatsCollector();
    let values: Float32Array;
    try {
      const out = this.gradients(batch, stats.sink);
      try {
        this.optimiser.apply(out.grads, lr);
        applyBatchStats(this.model, stats.collected, BN_MOMENTUM);
        const both = tf.stack([out.loss, out.correct]);
        values = (await both.data().finally(() => both.dispose())) as Float32Array;
      } finally {
        disposeLossAndGrads(out);
      }
    } finally {
      disposeBatch(batch);
      // Empty unless the step failed before applying them.
      for (const s of stats.collected.values()) tf.dispose([s.mean, s.variance]);
    }
    const loss = values[0];
    const acc = values[1] / b.size;
    this.stepsDone++;
    this.lossSum += loss;
    this.accSum += acc;
    this.stepsSinceEval++;
    if (!Number.isFinite(loss)) this.status = 'diverged';
    else if (this.stepsDone >= this.totalSteps) this.status = 'done';
    return { step: this.stepsDone, epoch: this.stepsDone / this.stepsPerEpoch, loss, acc, lr };
  }

  evalDue(): boolean {
    if (this.stepsDone === this.lastEvalStep || this.status === 'diverged') return false;
    if (this.stepsDone === 0 || this.stepsDone >= this.totalSteps) return true;
    return this.stepsDone >= Math.round((this.evalsScheduled + 1) * this.evalInterval);
  }

  async evaluate(onBatch?: (activity: string) => void): Promise<HistoryPoint> {
    const last = this.stepsDone >= this.totalSteps;
    const scores = await evaluateModel(this.model, last ? this.evalSet : this.duringSet, {
      attacks: this.spec.eval.attacks,
      pgdSteps: last ? this.spec.eval.pgdSteps : Math.min(this.spec.eval.during.pgdSteps, this.spec.eval.pgdSteps),
      pgdSchedule: this.spec.eval.pgdSchedule,
      batchSize: this.spec.train.batchSize,
      seed: this.spec.seed,
      onBatch,
      ...(last ? { final: { apgd: this.spec.eval.apgd } } : {}),
    });
    return this.record(scores);
  }

  adoptInitialEvaluation(point: HistoryPoint): void {
    if (this.stepsDone !== 0 || point.step !== 0)
      throw new Error('only a step-0 evaluation can be shared between runs');
    this.record(point);
  }

  private record(scores: Pick<HistoryPoint, 'cleanAcc' | 'robust' | 'cleanLoss' | 'probe'>): HistoryPoint {
    const n = this.stepsSinceEval;
    const point: HistoryPoint = {
      epoch: this.stepsDone / this.stepsPerEpoch,
      step: this.stepsDone,
      trainLoss: n > 0 ? this.lossSum / n : NaN,
      trainAcc: n > 0 ? this.accSum / n : NaN,
      cleanAcc: scores.cleanAcc,
      robust: scores.robust,
      cleanLoss: scores.cleanLoss,
    };
    if (scores.probe) point.probe = scores.probe;
    this.lossSum = 0;
    this.accSum = 0;
    this.stepsSinceEval = 0;
    this.lastEvalStep = this.stepsDone;
    while (Math.round((this.evalsScheduled + 1) * this.evalInterval) <= this.stepsDone) this.evalsScheduled++;
    return point;
  }

  dispose(): void {
    this.optimiser.dispose();
    this.model.dispose();
  }
}

export function createTrainer(spec: ExperimentSpec, runId: string, data: DatasetSplit): Trainer {
  return new MethodTrainer(spec, runId, data);
}

export interface TrainerControl {
  /** After each batch of an evaluation, with what it is doing. */
  onEvalBatch?(activity: string): void;
  /** The step-0 evaluation, computed by another run of the experiment: taken instead of evaluating (not passed to onEval). */
  initialPoint?: HistoryPoint;
  onStep?(record: StepRecord): void;
  onEval?(point: HistoryPoint): void;
  /** Awaited between steps: resolves when training may go on (pause), or returns 'stop'. */
  checkpoint?(): Promise<'go' | 'stop'>;
}

/**
 * Drives a trainer to the end: steps, evaluations when due, divergence, timing. msPerStep is the
 * mean wall time of step() (read-back included, evaluations excluded). An error ends the run with
 * status 'error' and its message; the trainer is not disposed here (the caller owns it).
 */
export async function runTrainer(trainer: Trainer, control: TrainerControl = {}): Promise<RunResult> {
  const history: HistoryPoint[] = [];
  let stepMs = 0;
  let steps = 0;
  let status: RunStatus = 'training';
  let error: string | undefined;
  try {
    if (control.initialPoint) {
      trainer.adoptInitialEvaluation(control.initialPoint);
      history.push(control.initialPoint);
    }
    for (;;) {
      if (trainer.evalDue()) {
        const point = await trainer.evaluate(control.onEvalBatch);
        history.push(point);
        control.onEval?.(point);
      }
      if (trainer.status !== 'training') {
        status = trainer.status;
        break;
      }
      if (control.checkpoint && (await control.checkpoint()) === 'stop') {
        status = 'stopped';
        break;
      }
      const t0 = performance.now();
      const record = await trainer.step();
      stepMs += performance.now() - t0;
      steps++;
      control.onStep?.(record);
    }
  } catch (e) {
    status = 'error';
    error = e instanceof Error ? e.message : String(e);
  }
  const result: RunResult = {
    id: trainer.run.id,
    method: trainer.run.method,
    status,
    history,
    msPerStep: steps > 0 ? stepMs / steps : 0,
  };
  if (error !== undefined) result.error = error;
  return result;
}
