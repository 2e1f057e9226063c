// The results file (README "Results format", the same JSON the CLI writes) and its CSV, and the
// reader of untrusted results: a schema (core/schema.ts) checks every number in its range
// (accuracies in [0, 1], epochs within the spec's), every string and list bounded, own keys only.
// The spec is checked field by field by parseSpec (any issue refuses it); then the runs against it.
import * as v from 'valibot';
import { dict, formatIssues, int, list, metric, num, obj, oneOf, text, toIssues, type InputIssue } from '../schema';
import { apgdKey, attackKey, formatIssues as formatSpecIssues, METHODS, parseSpec, type ExperimentSpec } from '../spec';
import { RESULTS_BACKENDS, RUN_STATUSES, type Results, type RunResult } from './results';
import { dualityAttackSchema, dualityImageSchema } from '../landscape/readResult';

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
  /** PGD per attack, and on the last point APGD per attack ("<key>:apgd"): twice the spec's 16 attacks at most. */
  robust: dict(num(0, 1), 32),
  probe: v.optional(
    obj({ largeEps: v.optional(num(0, 1)), largeEpsAcc: v.optional(num(0, 1)), zeroGradShare: num(0, 1) }),
  ),
});

/** The duality view's numbers at one evaluation (core/duality/dualityPoint.ts). */
const dualityPointSchema = obj({
  epoch: num(0, 500),
  step: int(0, MAX_STEP),
  rho: num(0, 1e6),
  layer: text(128),
  firstShare: metric(0, 1),
  attack: dualityAttackSchema,
  images: list(dualityImageSchema, 1, 16),
});

const runSchema = obj({
  id: text(32),
  method: oneOf(METHODS),
  status: oneOf(RUN_STATUSES),
  history: list(pointSchema, 0, 100_000),
  msPerStep: num(0, 1e9),
  error: v.optional(text(4000)),
  duality: v.optional(list(dualityPointSchema, 0, 100_000)),
});

const resultsSchema = obj({ spec: v.unknown(), backend: oneOf(RESULTS_BACKENDS), runs: list(v.unknown(), 0, 12) });

const issue = (path: string, message: string): InputIssue => ({ path, message });

/** The checks between a run and its spec that a schema cannot make. */
function checkAgainstSpec(run: v.InferOutput<typeof runSchema>, at: string, spec: ExperimentSpec): InputIssue[] {
  const specRun = spec.runs.find((r) => r.id === run.id);
  if (!specRun)
    return [
      issue(
        `${at}.id`,
        `must name a run of the spec (${spec.runs.map((r) => r.id).join(', ')}), got ${JSON.stringify(run.id)}`,
      ),
    ];
  const out: InputIssue[] = [];
  if (run.method !== specRun.method)
    out.push(issue(`${at}.method`, `must be "${specRun.method}", the method of run "${run.id}" in the spec`));
  const keys = new Set([...spec.eval.attacks.map(attackKey), ...spec.eval.attacks.map(apgdKey)]);
  run.history.forEach((p, i) => {
    const key = Object.keys(p.robust).find((k) => !keys.has(k));
    if (key !== undefined)
      out.push(
        issue(
          `${at}.history[${i}].robust`,
          `has ${JSON.stringify(key.slice(0, 40))}, which is not an attack of the spec`,
        ),
      );
    if (p.epoch > spec.train.epochs * (1 + 1e-9))
      out.push(
        issue(`${at}.history[${i}].epoch`, `must not exceed the spec's ${spec.train.epochs} epochs, got ${p.epoch}`),
      );
    if (i > 0 && p.step < run.history[i - 1].step) out.push(issue(`${at}.history[${i}].step`, 'goes backwards'));
  });
  return out;
}

/** Checks one untrusted run result against `spec` as parseResults does: the run, or the issues naming the bad fields (`at` prefixes them). */
export function readRunResult(
  raw: unknown,
  at: string,
  spec: ExperimentSpec,
): { ok: true; run: RunResult } | { ok: false; issues: InputIssue[] } {
  const r = v.safeParse(runSchema, raw);
  if (!r.success) return { ok: false, issues: toIssues(r.issues, at) };
  const issues = checkAgainstSpec(r.output, at, spec);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, run: r.output };
}

/** Checks an untrusted results object field by field; the reason lists the bad fields. */
export function parseResults(raw: unknown): ParsedResults {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, reason: 'a results file is a JSON object {spec, backend, runs}' };
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
  return issues.length > 0
    ? { ok: false, reason: formatIssues(issues, 'results') }
    : { ok: true, results: { spec, backend: top.output.backend, runs } };
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

export function resultsToJson(results: Results): string {
  return `${JSON.stringify(results, null, 1)}\n`;
}

const csvCell = (v: string | number) => {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Every curve in one long ("tidy") table: one row per run, curve and evaluation point. Curves:
 * trainLoss, trainAcc, cleanAcc, cleanLoss (when measured), robust:<attack key> (PGD; with ":apgd",
 * APGD on the last point) and the attack checks' probe (probe:largeEpsAcc, probe:zeroGradShare). A missing
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
        ...(p.probe?.largeEpsAcc !== undefined ? [['probe:largeEpsAcc', p.probe.largeEpsAcc] as [string, number]] : []),
        ...(p.probe ? [['probe:zeroGradShare', p.probe.zeroGradShare] as [string, number]] : []),
      ];
      for (const [curve, value] of curves) rows.push([run.id, run.method, curve, p.epoch, p.step, value]);
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
