// The results file (README "Results format", the same JSON the CLI writes): built from the store,
// and read back from untrusted input. Reading checks every field and refuses the whole file with
// the first reason found; the spec is checked field by field by parseSpec (any issue refuses it).
import type { BackendName } from '../core/backend';
import { attackKey, formatIssues, parseSpec, type ExperimentSpec, type RunSpec } from '../core/spec';
import type { HistoryPoint, Results, RunResult, RunStatus } from '../core/train/results';
import { isCount, isNonNegative, isObject, need, UntrustedDataError } from '../core/untrusted';
import type { LabState } from './labStore';
import { addLoss, EMPTY_LOSS_SERIES } from './lossSeries';
import { newRunView, restoredView, type RunView } from './runView';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const STATUSES: readonly RunStatus[] = ['queued', 'training', 'paused', 'done', 'diverged', 'stopped', 'interrupted', 'error'];

export type ParsedResults = { ok: true; results: Results } | { ok: false; reason: string };

/**
 * JSON has no NaN or infinity: the step-0 training loss and accuracy (NaN) and a diverged run's
 * losses are written as null (JSON.stringify) and read back as NaN. A saved run (savedRunView.ts,
 * a structured clone) keeps them as the numbers they were.
 */
const isMetric = (v: unknown) => v === null || typeof v === 'number';

function readPoint(raw: unknown, at: string, attackKeys: Set<string>): HistoryPoint {
  need(isObject(raw), `${at} must be an object`);
  need(isNonNegative(raw.epoch), `${at}.epoch must be a number >= 0`);
  need(isCount(raw.step), `${at}.step must be an integer >= 0`);
  for (const k of ['trainLoss', 'trainAcc', 'cleanAcc'] as const) need(isMetric(raw[k]), `${at}.${k} must be a number`);
  need(raw.cleanLoss === undefined || isMetric(raw.cleanLoss), `${at}.cleanLoss must be a number`);
  need(typeof raw.cleanAcc === 'number', `${at}.cleanAcc must be a number`);
  need(isObject(raw.robust), `${at}.robust must be an object of accuracies by attack`);
  const robust: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw.robust)) {
    need(attackKeys.has(k), `${at}.robust has "${k}", which is not an attack of the spec`);
    need(typeof v === 'number' && v >= 0 && v <= 1, `${at}.robust["${k}"] must be an accuracy in [0, 1]`);
    robust[k] = v;
  }
  const nan = (v: unknown) => (typeof v === 'number' ? v : NaN);
  return {
    epoch: raw.epoch as number,
    step: raw.step as number,
    trainLoss: nan(raw.trainLoss),
    trainAcc: nan(raw.trainAcc),
    cleanAcc: raw.cleanAcc as number,
    robust,
    ...(typeof raw.cleanLoss === 'number' ? { cleanLoss: raw.cleanLoss } : {}),
  };
}

function readRun(raw: unknown, at: string, specRuns: Map<string, RunSpec>, attackKeys: Set<string>): RunResult {
  need(isObject(raw), `${at} must be an object`);
  need(typeof raw.id === 'string' && specRuns.has(raw.id), `${at}.id must name a run of the spec (${[...specRuns.keys()].join(', ')})`);
  const id = raw.id as string;
  need(raw.method === specRuns.get(id)!.method, `${at}.method must be "${specRuns.get(id)!.method}", the method of run "${id}" in the spec`);
  need(typeof raw.status === 'string' && STATUSES.includes(raw.status as RunStatus), `${at}.status must be one of ${STATUSES.join(', ')}`);
  need(isNonNegative(raw.msPerStep), `${at}.msPerStep must be a number >= 0`);
  need(raw.error === undefined || typeof raw.error === 'string', `${at}.error must be a string`);
  need(Array.isArray(raw.history), `${at}.history must be an array`);
  const history = (raw.history as unknown[]).map((p, i) => readPoint(p, `${at}.history[${i}]`, attackKeys));
  for (let i = 1; i < history.length; i++) need(history[i].step >= history[i - 1].step, `${at}.history[${i}].step goes backwards`);
  return {
    id,
    method: raw.method as RunResult['method'],
    status: raw.status as RunStatus,
    history,
    msPerStep: raw.msPerStep as number,
    ...(typeof raw.error === 'string' ? { error: raw.error } : {}),
  };
}

/** Checks one untrusted run result against `spec` as parseResults does; throws UntrustedDataError naming the first bad field. */
export function readRunResult(raw: unknown, at: string, spec: ExperimentSpec): RunResult {
  return readRun(raw, at, new Map(spec.runs.map((r) => [r.id, r])), new Set(spec.eval.attacks.map(attackKey)));
}

/** Checks an untrusted results object field by field. */
export function parseResults(raw: unknown): ParsedResults {
  try {
    need(isObject(raw), 'a results file is a JSON object {spec, backend, runs}');
    need(isObject(raw.spec), 'the results have no spec object');
    const { spec, issues } = parseSpec(raw.spec);
    need(issues.length === 0, `the spec is not valid:\n${formatIssues(issues)}`);
    need(typeof raw.backend === 'string' && BACKEND_NAMES.includes(raw.backend as BackendName), `backend must be one of ${BACKEND_NAMES.join(', ')}`);
    need(Array.isArray(raw.runs), 'runs must be an array');
    const specRuns = new Map(spec.runs.map((r) => [r.id, r]));
    const attackKeys = new Set(spec.eval.attacks.map(attackKey));
    const runs = (raw.runs as unknown[]).map((r, i) => readRun(r, `runs[${i}]`, specRuns, attackKeys));
    const ids = runs.map((r) => r.id);
    need(new Set(ids).size === ids.length, 'runs lists a run twice');
    return { ok: true, results: { spec, backend: raw.backend as BackendName, runs } };
  } catch (e) {
    if (e instanceof UntrustedDataError) return { ok: false, reason: e.message };
    throw e;
  }
}

export function parseResultsText(text: string): ParsedResults {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
  return parseResults(raw);
}

/** The shown experiment as a results file; undefined when nothing was trained. */
export function resultsFromState(s: Pick<LabState, 'trainedSpec' | 'runs' | 'runOrder'>): Results | undefined {
  if (!s.trainedSpec) return undefined;
  const views = s.runOrder.map((id) => s.runs[id]);
  const backend = views.find((r) => r.backend)?.backend ?? (BACKEND_NAMES.includes(s.trainedSpec.train.backend as BackendName) ? (s.trainedSpec.train.backend as BackendName) : 'cpu');
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
