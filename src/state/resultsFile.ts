// The results file (README "Results format", the same JSON the CLI writes): built from the store,
// and read back from untrusted input through a schema (core/schema.ts): every number in its range
// (accuracies in [0, 1], epochs within the spec's), every string and list bounded, own keys only.
// The spec is checked field by field by parseSpec (any issue refuses it); then the runs against it.
import * as v from 'valibot';
import { BACKEND_NAMES, isBackendName } from '../core/backend';
import { dict, formatIssues, int, list, metric, num, obj, oneOf, text, toIssues, type InputIssue } from '../core/schema';
import { attackKey, formatIssues as formatSpecIssues, METHODS, parseSpec, type ExperimentSpec } from '../core/spec';
import { RUN_STATUSES, type Results, type RunResult, type RunStatus } from '../core/train/results';
import type { LabState } from './labStore';
import { addLoss, EMPTY_LOSS_SERIES } from './lossSeries';
import { newRunView, restoredView, type RunView } from './runView';


export type ParsedResults = { ok: true; results: Results } | { ok: false; reason: string };

/** Most steps a spec can ask for: 500 epochs of 100,000 examples in batches of 1. */
const MAX_STEP = 5e7;
/** Losses are cross-entropies: >= 0, and finite ones far below this. */
const MAX_LOSS = 1e30;

/**
 * One evaluation. JSON has no NaN or infinity: the step-0 training loss and accuracy (NaN) and a
 * diverged run's losses are written as null and read back as NaN; a saved run (savedRunView.ts, a
 * structured clone) keeps them as the numbers they were.
 */
const pointSchema = obj({
  epoch: num(0, 500),
  step: int(0, MAX_STEP),
  trainLoss: metric(0, MAX_LOSS),
  trainAcc: metric(0, 1),
  cleanAcc: num(0, 1),
  cleanLoss: v.optional(metric(0, MAX_LOSS)),
  robust: dict(num(0, 1), 16),
});

const runSchema = obj({
  id: text(32),
  method: oneOf(METHODS),
  status: oneOf(RUN_STATUSES),
  history: list(pointSchema, 0, 100_000),
  msPerStep: num(0, 1e9),
  error: v.optional(text(4000)),
});

const resultsSchema = obj({ spec: v.unknown(), backend: oneOf(BACKEND_NAMES), runs: list(v.unknown(), 0, 12) });

const issue = (path: string, message: string): InputIssue => ({ path, message });

/** The checks between a run and its spec that a schema cannot make. */
function checkAgainstSpec(run: v.InferOutput<typeof runSchema>, at: string, spec: ExperimentSpec): InputIssue[] {
  const specRun = spec.runs.find((r) => r.id === run.id);
  if (!specRun) return [issue(`${at}.id`, `must name a run of the spec (${spec.runs.map((r) => r.id).join(', ')}), got ${JSON.stringify(run.id)}`)];
  const out: InputIssue[] = [];
  if (run.method !== specRun.method) out.push(issue(`${at}.method`, `must be "${specRun.method}", the method of run "${run.id}" in the spec`));
  const keys = new Set(spec.eval.attacks.map(attackKey));
  run.history.forEach((p, i) => {
    const key = Object.keys(p.robust).find((k) => !keys.has(k));
    if (key !== undefined) out.push(issue(`${at}.history[${i}].robust`, `has ${JSON.stringify(key.slice(0, 40))}, which is not an attack of the spec`));
    if (p.epoch > spec.train.epochs * (1 + 1e-9)) out.push(issue(`${at}.history[${i}].epoch`, `must not exceed the spec's ${spec.train.epochs} epochs, got ${p.epoch}`));
    if (i > 0 && p.step < run.history[i - 1].step) out.push(issue(`${at}.history[${i}].step`, 'goes backwards'));
  });
  return out;
}

/** Checks one untrusted run result against `spec` as parseResults does: the run, or the issues naming the bad fields (`at` prefixes them). */
export function readRunResult(raw: unknown, at: string, spec: ExperimentSpec): { ok: true; run: RunResult } | { ok: false; issues: InputIssue[] } {
  const r = v.safeParse(runSchema, raw);
  if (!r.success) return { ok: false, issues: toIssues(r.issues, at) };
  const issues = checkAgainstSpec(r.output, at, spec);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, run: r.output };
}

/** Checks an untrusted results object field by field; the reason lists the bad fields. */
export function parseResults(raw: unknown): ParsedResults {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'a results file is a JSON object {spec, backend, runs}' };
  if (!Object.hasOwn(raw, 'spec')) return { ok: false, reason: 'the results have no spec object' };
  const top = v.safeParse(resultsSchema, raw);
  if (!top.success) return { ok: false, reason: formatIssues(toIssues(top.issues), 'results') };
  const { spec, issues: specIssues } = parseSpec(top.output.spec);
  if (specIssues.length > 0) return { ok: false, reason: `the spec is not valid:\n${formatSpecIssues(specIssues)}` };
  const issues: InputIssue[] = [];
  const runs: RunResult[] = [];
  top.output.runs.forEach((r, i) => {
    const read = readRunResult(r, `runs[${i}]`, spec);
    if (read.ok) runs.push(read.run);
    else issues.push(...read.issues);
  });
  const ids = runs.map((r) => r.id);
  if (new Set(ids).size !== ids.length) issues.push(issue('runs', 'lists a run twice'));
  return issues.length > 0 ? { ok: false, reason: formatIssues(issues, 'results') } : { ok: true, results: { spec, backend: top.output.backend, runs } };
}

export function parseResultsText(text: string): ParsedResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message.slice(0, 200)})` };
  }
  return parseResults(raw);
}

/** The shown experiment as a results file; undefined when nothing was trained. */
export function resultsFromState(s: Pick<LabState, 'trainedSpec' | 'runs' | 'runOrder'>): Results | undefined {
  if (!s.trainedSpec) return undefined;
  const views = s.runOrder.map((id) => s.runs[id]);
  const backend = views.find((r) => r.backend)?.backend ?? (isBackendName(s.trainedSpec.train.backend) ? s.trainedSpec.train.backend : 'cpu');
  return {
    spec: structuredClone(s.trainedSpec),
    backend,
    runs: views.map((r) => ({
      id: r.id,
      method: r.spec.method,
      status: r.status,
      history: r.history,
      msPerStep: r.result?.msPerStep ?? 0,
      ...(r.error || r.result?.error ? { error: r.error?.message ?? r.result?.error } : {}),
    })),
  };
}

export function resultsToJson(results: Results): string {
  return `${JSON.stringify(results, null, 1)}\n`;
}

/**
 * Run views of finished results (an import, a results link): the loss curve is the evaluations'
 * training loss. A run exported before it ended is shown interrupted: no worker will end it here.
 */
export function runViewsFromResults(results: Results): RunView[] {
  return results.spec.runs.map((spec) => {
    const r = results.runs.find((x) => x.id === spec.id);
    const view = newRunView(spec);
    if (!r) return { ...view, status: 'stopped' as RunStatus };
    let lossSeries = EMPTY_LOSS_SERIES;
    for (const p of r.history) lossSeries = addLoss(lossSeries, p.step, p.trainLoss);
    const last = r.history.at(-1);
    return restoredView({
      ...view,
      status: r.status,
      backend: results.backend,
      step: last?.step ?? 0,
      totalSteps: last?.step ?? 0,
      epoch: last?.epoch ?? 0,
      history: r.history,
      lossSeries,
      result: r,
      ...(r.error ? { error: { message: r.error, kind: 'exception' as const } } : {}),
    });
  });
}

const csvCell = (v: string | number) => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Every curve in one long ("tidy") table: one row per run, curve and evaluation point. Curves:
 * trainLoss, trainAcc, cleanAcc, cleanLoss (when measured) and robust:<attack key>. A missing
 * value (the step-0 training loss) is an empty cell.
 */
export function resultsToCsv(results: Results): string {
  const rows: (string | number)[][] = [['run', 'method', 'curve', 'epoch', 'step', 'value']];
  for (const run of results.runs) {
    for (const p of run.history) {
      const curves: [string, number][] = [
        ['trainLoss', p.trainLoss],
        ['trainAcc', p.trainAcc],
        ['cleanAcc', p.cleanAcc],
        ...(p.cleanLoss !== undefined ? [['cleanLoss', p.cleanLoss] as [string, number]] : []),
        ...Object.entries(p.robust).map(([k, v]): [string, number] => [`robust:${k}`, v]),
      ];
      for (const [curve, value] of curves) rows.push([run.id, run.method, curve, p.epoch, p.step, value]);
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
