// A saved run (IndexedDB, persistence.ts) read back. The saved RunView is untrusted (an older
// version of the page, an edit): the fields a results file has too (status, history, error,
// result) are checked by the results file's own reader, the page-only ones (progress and the
// smoothed loss curve) here. A new view is built from the known fields only, with the run's spec
// taken from the experiment's (checked) spec rather than the copy saved in the view.
import type { ExperimentSpec } from '../core/spec';
import type { BackendName } from '../core/backend';
import type { LossPoint, LossSeries } from './lossSeries';
import { isCount, isFiniteNumber, isNonNegative, isObject, need, UntrustedDataError } from '../core/untrusted';
import { BACKEND_NAMES, readRunResult } from './resultsFile';
import type { RunErrorKind, RunView } from './runView';

export type SavedRunRead = { ok: true; view: RunView } | { ok: false; reason: string };

/** Every kind a saved view's error may have (a Record, so that a new kind must be added here). */
const ERROR_KINDS: Record<RunErrorKind, true> = { exception: true, 'device-lost': true, protocol: true, crash: true, unreadable: true };

function readLossSeries(raw: unknown, at: string): LossSeries {
  need(isObject(raw), `${at} must be an object {points, ema, seen, stride}`);
  need(Array.isArray(raw.points), `${at}.points must be an array`);
  const points = (raw.points as unknown[]).map((p, i): LossPoint => {
    need(isObject(p) && isCount(p.step) && isFiniteNumber(p.loss), `${at}.points[${i}] must be {step, loss}: an integer step >= 0 and a finite loss`);
    return { step: p.step as number, loss: p.loss };
  });
  need(isFiniteNumber(raw.ema), `${at}.ema must be a finite number`);
  need(isCount(raw.seen), `${at}.seen must be an integer >= 0`);
  need(isCount(raw.stride) && raw.stride >= 1, `${at}.stride must be an integer >= 1`);
  return { points, ema: raw.ema, seen: raw.seen, stride: raw.stride };
}

/**
 * Reads the saved view of run `id`, a run of `spec` (the caller checks that); the reason names the
 * first bad field, prefixed by `run "<id>"`.
 */
export function readSavedRunView(raw: unknown, id: string, spec: ExperimentSpec): SavedRunRead {
  const at = `run "${id}"`;
  const runSpec = spec.runs.find((r) => r.id === id);
  if (!runSpec) return { ok: false, reason: `${at} is not a run of the experiment` };
  try {
    need(isObject(raw), `${at} must be an object`);
    need(raw.id === id, `${at}.id must be "${id}"`);
    const error = raw.error;
    need(
      error === undefined || (isObject(error) && typeof error.message === 'string' && typeof error.kind === 'string' && Object.hasOwn(ERROR_KINDS, error.kind)),
      `${at}.error must be {message, kind} with kind one of ${Object.keys(ERROR_KINDS).join(', ')}`,
    );
    // Status, history and error as a results file has them, checked as an import checks them.
    const checked = readRunResult({ id, method: runSpec.method, status: raw.status, history: raw.history, msPerStep: 0, ...(error ? { error: error.message } : {}) }, at, spec);
    const result = raw.result === undefined ? undefined : readRunResult(raw.result, `${at}.result`, spec);
    need(result === undefined || result.id === id, `${at}.result.id must be "${id}"`);
    need(raw.backend === undefined || BACKEND_NAMES.includes(raw.backend as BackendName), `${at}.backend must be one of ${BACKEND_NAMES.join(', ')}`);
    for (const k of ['step', 'totalSteps'] as const) need(isCount(raw[k]), `${at}.${k} must be an integer >= 0`);
    need(isNonNegative(raw.epoch), `${at}.epoch must be a number >= 0`);
    need(isNonNegative(raw.imagesPerSec), `${at}.imagesPerSec must be a number >= 0`);
    // NaN before the first step (IndexedDB keeps it), so any number.
    for (const k of ['loss', 'acc'] as const) need(typeof raw[k] === 'number', `${at}.${k} must be a number`);
    const lossSeries = readLossSeries(raw.lossSeries, `${at}.lossSeries`);
    const view: RunView = {
      id,
      spec: runSpec,
      status: checked.status,
      ...(raw.backend !== undefined ? { backend: raw.backend as BackendName } : {}),
      step: raw.step as number,
      totalSteps: raw.totalSteps as number,
      epoch: raw.epoch as number,
      loss: raw.loss as number,
      acc: raw.acc as number,
      imagesPerSec: raw.imagesPerSec as number,
      history: checked.history,
      lossSeries,
      ...(isObject(error) ? { error: { message: error.message as string, kind: error.kind as RunErrorKind } } : {}),
      ...(result ? { result } : {}),
    };
    return { ok: true, view };
  } catch (e) {
    if (e instanceof UntrustedDataError) return { ok: false, reason: e.message };
    throw e;
  }
}
