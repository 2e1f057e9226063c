// A saved run (IndexedDB, persistence.ts) read back. The saved RunView is untrusted (an older
// version of the page, an edit): the fields a results file has too (status, history, error,
// result) are checked by the results file's own reader, the page-only ones (progress and the
// smoothed loss curve) here, both through schemas (core/schema.ts). A new view is built from the
// known fields only, with the run's spec taken from the experiment's (checked) spec rather than the
// copy saved in the view.
import * as v from 'valibot';
import { formatIssues, int, known, list, metric, num, oneOf, text, toIssues, type InputIssue } from '../core/schema';
import type { ExperimentSpec } from '../core/spec';
import { RESULTS_BACKENDS } from '../core/train/results';
import { readRunResult } from '../core/train/resultsFile';
import type { RunErrorKind, RunView } from './runView';

export type SavedRunRead = { ok: true; view: RunView } | { ok: false; reason: string };

/** Every kind a saved view's error may have (a Record, so that a new kind must be added here). */
const ERROR_KINDS: Record<RunErrorKind, true> = {
  exception: true,
  'device-lost': true,
  protocol: true,
  crash: true,
  unreadable: true,
};
const MAX_STEP = 5e7;

const lossSeriesSchema = known({
  points: list(known({ step: int(0, MAX_STEP), loss: num(-1e30, 1e30) }), 0, 10_000),
  ema: num(-1e30, 1e30),
  seen: int(0, MAX_STEP),
  stride: int(1, MAX_STEP),
});

/**
 * The page-only fields of a saved view; unknown fields (the saved copy of the run's spec, fields
 * of an older page) are dropped. Status, history, error and result are a results file's run.
 */
const savedViewSchema = known({
  id: text(32),
  error: v.optional(
    known({ message: text(4000), kind: oneOf(Object.keys(ERROR_KINDS) as [RunErrorKind, ...RunErrorKind[]]) }),
  ),
  backend: v.optional(oneOf(RESULTS_BACKENDS)),
  step: int(0, MAX_STEP),
  totalSteps: int(0, MAX_STEP),
  epoch: num(0, 500),
  imagesPerSec: num(0, 1e12),
  // NaN before the first step, infinite for a diverging run (IndexedDB keeps both).
  loss: metric(0, 1e30),
  acc: metric(0, 1),
  lossSeries: lossSeriesSchema,
});

/**
 * Reads the saved view of run `id`, a run of `spec` (the caller checks that); the reason names the
 * bad fields, prefixed by `run "<id>"`.
 */
export function readSavedRunView(raw: unknown, id: string, spec: ExperimentSpec): SavedRunRead {
  const at = `run "${id}"`;
  const runSpec = spec.runs.find((r) => r.id === id);
  if (!runSpec) return { ok: false, reason: `${at} is not a run of the experiment` };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, reason: `${at} must be an object` };
  const parsed = v.safeParse(savedViewSchema, raw);
  if (!parsed.success) return { ok: false, reason: formatIssues(toIssues(parsed.issues, at)) };
  const saved = parsed.output;
  const fields = raw as Record<string, unknown>;
  const issues: InputIssue[] = [];
  if (saved.id !== id) issues.push({ path: `${at}.id`, message: `must be "${id}"` });
  // Status, history and error as a results file has them, checked as an import checks them.
  const checked = readRunResult(
    {
      id,
      method: runSpec.method,
      status: fields.status,
      history: fields.history,
      msPerStep: 0,
      ...(saved.error ? { error: saved.error.message } : {}),
    },
    at,
    spec,
  );
  if (!checked.ok) issues.push(...checked.issues);
  const result = fields.result === undefined ? undefined : readRunResult(fields.result, `${at}.result`, spec);
  if (result && !result.ok) issues.push(...result.issues);
  if (result?.ok && result.run.id !== id) issues.push({ path: `${at}.result.id`, message: `must be "${id}"` });
  if (!checked.ok || (result && !result.ok) || issues.length > 0) return { ok: false, reason: formatIssues(issues) };
  const view: RunView = {
    id,
    spec: runSpec,
    status: checked.run.status,
    ...(saved.backend !== undefined ? { backend: saved.backend } : {}),
    step: saved.step,
    totalSteps: saved.totalSteps,
    epoch: saved.epoch,
    loss: saved.loss,
    acc: saved.acc,
    imagesPerSec: saved.imagesPerSec,
    history: checked.run.history,
    lossSeries: saved.lossSeries,
    ...(saved.error ? { error: saved.error } : {}),
    ...(result?.ok ? { result: result.run } : {}),
  };
  return { ok: true, view };
}
