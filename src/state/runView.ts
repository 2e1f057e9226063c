// What the page knows about one run, folded from its worker's messages by a pure reducer.
import type { RunSpec } from '../core/spec';
import type { HistoryPoint, ResultsBackend, RunResult, RunStatus } from '../core/train/results';
import type { FromWorker, ProgressMessage, WorkerErrorKind } from '../worker/protocol';
import { addLoss, EMPTY_LOSS_SERIES, type LossSeries } from './lossSeries';

/**
 * 'crash': the worker itself died (its 'error' event), as opposed to an error it reported.
 * 'unreadable': a saved run that did not read back (savedRunView.ts).
 */
export type RunErrorKind = WorkerErrorKind | 'crash' | 'unreadable';

/** The last progress message's numbers (loss and acc: the last step's raw training loss and accuracy), and all the rest. */
export interface RunView extends Omit<ProgressMessage, 'type' | 'runId'> {
  id: string;
  spec: RunSpec;
  status: RunStatus;
  /** Where it trains or trained: a tfjs backend, or 'pytorch' for an imported run of the exported project. */
  backend?: ResultsBackend;
  history: HistoryPoint[];
  lossSeries: LossSeries;
  error?: { message: string; kind: RunErrorKind };
  result?: RunResult;
  /** What a long evaluation is doing now (its worker's last 'alive'); gone with the next step, point or status. */
  activity?: string;
}

export function newRunView(spec: RunSpec): RunView {
  return {
    id: spec.id,
    spec,
    status: 'queued',
    step: 0,
    totalSteps: 0,
    epoch: 0,
    loss: NaN,
    acc: NaN,
    imagesPerSec: 0,
    history: [],
    lossSeries: EMPTY_LOSS_SERIES,
  };
}

const FINAL: ReadonlySet<RunStatus> = new Set(['done', 'diverged', 'stopped', 'interrupted', 'error']);
export const isFinal = (status: RunStatus) => FINAL.has(status);

/** A run shown from saved data: one whose training had not ended is 'interrupted', since no worker will end it. */
export function restoredView(run: RunView): RunView {
  return isFinal(run.status) ? run : { ...run, status: 'interrupted', imagesPerSec: 0 };
}

/** Folds one worker message into the run it names. A run that has ended ignores late messages. */
export function applyMessage(run: RunView, msg: FromWorker): RunView {
  if (isFinal(run.status) && msg.type !== 'done') return run;
  switch (msg.type) {
    case 'alive':
      return { ...run, activity: msg.activity };
    case 'status':
      return { ...run, status: msg.status, backend: msg.backend ?? run.backend, activity: undefined };
    case 'progress':
      return {
        ...run,
        activity: undefined,
        step: msg.step,
        totalSteps: msg.totalSteps,
        epoch: msg.epoch,
        loss: msg.loss,
        acc: msg.acc,
        imagesPerSec: msg.imagesPerSec,
        lossSeries: addLoss(run.lossSeries, msg.step, msg.loss),
      };
    case 'metrics':
      return { ...run, history: [...run.history, msg.point], activity: undefined };
    case 'error':
      return { ...run, status: 'error', error: { message: msg.message, kind: msg.kind } };
    case 'done':
      // An error already reported outranks the result a dying run may still send.
      if (run.status === 'error') return run;
      return {
        ...run,
        activity: undefined,
        status: msg.result.status,
        result: msg.result,
        history: msg.result.history.length ? msg.result.history : run.history,
      };
    default:
      // Landscape and data-loading messages are folded by their own slices.
      return run;
  }
}

/** Applies a batch of messages in arrival order; runs not named keep their identity (cheap re-render checks). */
export function applyMessages(runs: Record<string, RunView>, batch: FromWorker[]): Record<string, RunView> {
  let next = runs;
  for (const msg of batch) {
    const run = next[msg.runId];
    if (!run) continue;
    const updated = applyMessage(run, msg);
    if (updated !== run) {
      if (next === runs) next = { ...runs };
      next[msg.runId] = updated;
    }
  }
  return next;
}

/** Seconds left at the current speed (training steps only; evaluations add to it). */
export function etaSeconds(run: RunView, batchSize: number): number | undefined {
  if (run.imagesPerSec <= 0 || run.totalSteps === 0 || run.status !== 'training') return undefined;
  return ((run.totalSteps - run.step) * batchSize) / run.imagesPerSec;
}
