// Reads a landscape result back from untrusted storage (a saved experiment may come from an older
// version of the page, or have been edited) through a schema (core/schema.ts): a new object is
// built from the known fields only. Axes, counts and settings must be finite and in range;
// measured losses and accuracies may also be NaN or infinite, since a diverged model gives such
// losses (the views draw them as gaps), but their arrays must have the axes' shape.
import * as v from 'valibot';
import { bool, int, known, list, metric, num, oneOf, quote, text, toIssues, type InputIssue } from '../schema';
import type { LandscapeResult } from './results';

const MAX_POINTS = 1024;
const MAX_COUNT = 1e9;
const axis = list(num(-1e6, 1e6), 1, MAX_POINTS);
const losses = list(metric(0, 1e30), 1, MAX_POINTS);
const accs = list(metric(0, 1), 1, MAX_POINTS);
const adversary = oneOf(['pgd', 'gradient-sign']);
/** Values of a duality result's images: a few images of up to 64 x 64 x 3. */
const MAX_PIXELS = 16 * 64 * 64 * 3;
const pixels = v.pipe(
  v.instance(Float32Array),
  v.check((a) => a.length >= 1 && a.length <= MAX_PIXELS, `must hold 1 to ${MAX_PIXELS} values`),
  v.check((a) => a.every((x) => Number.isFinite(x) && Math.abs(x) <= 1e6), 'must hold finite values within ±1e6'),
);
export const dualityImageSchema = known({
  label: int(0, 1000),
  relResidual: metric(0, 1e30),
  normalResidual: metric(0, 1e30),
  dL2: metric(0, 1e30),
  dLinf: metric(0, 1e30),
  deltaL2: num(0, 1e6),
  deltaLinf: num(0, 1e6),
  cos: metric(-1, 1),
});

export const dualityAttackSchema = known({
  norm: oneOf(['linf', 'l2']),
  eps: num(0, 1e6),
  stepSize: num(0, 1e6),
  steps: int(0, 10_000),
});

export const landscapeCostSchema = known({ evals: int(0, MAX_COUNT), gradEvals: int(0, MAX_COUNT) });

const measured = {
  batchSize: int(1, 1 << 20),
  estimate: landscapeCostSchema,
  evals: int(0, MAX_COUNT),
  gradEvals: int(0, MAX_COUNT),
  ms: num(0, 1e12),
};

const landscapeResultSchema = v.variant(
  'kind',
  [
    known({ kind: v.literal('weight-1d'), ...measured, alphas: axis, loss: losses, acc: accs }),
    known({
      kind: v.literal('input-1d'),
      ...measured,
      adversary,
      ts: axis,
      lossAdv: losses,
      lossRand: losses,
      accAdv: accs,
      accRand: accs,
    }),
    known({
      kind: v.literal('weight-2d'),
      ...measured,
      alphas: axis,
      betas: axis,
      loss: list(losses, 1, MAX_POINTS),
      acc: list(accs, 1, MAX_POINTS),
    }),
    known({
      kind: v.literal('input-2d'),
      ...measured,
      adversary,
      alphas: axis,
      betas: axis,
      loss: list(losses, 1, MAX_POINTS),
      acc: list(accs, 1, MAX_POINTS),
    }),
    known({
      kind: v.literal('sharpness'),
      ...measured,
      loss: metric(0, 1e30),
      samSharpness: metric(-1e30, 1e30),
      rho: num(0, 1e6),
      hessianTop: metric(-1e30, 1e30),
      hessianResidual: v.optional(metric(0, 1e30)),
      iterations: int(0, MAX_COUNT),
      relChange: metric(0, 1e30),
      tolerance: num(0, 1e6),
      converged: bool,
    }),
    known({
      kind: v.literal('duality'),
      ...measured,
      rho: num(0, 1e6),
      layer: text(128),
      firstShare: metric(0, 1),
      attack: dualityAttackSchema,
      shape: list(int(1, 4096), 1, 3),
      x: pixels,
      d: pixels,
      delta: pixels,
      images: list(dualityImageSchema, 1, 16),
      iterations: int(0, MAX_COUNT),
    }),
  ],
  (issue) => `must be one of weight-1d, input-1d, weight-2d, input-2d, sharpness, duality, got ${quote(issue.input)}`,
);

/** Each measured array the length of its axis (rows x columns for a surface). */
function shapeIssues(r: LandscapeResult, at: string): InputIssue[] {
  const out: InputIssue[] = [];
  const need = (values: ArrayLike<unknown>, n: number, name: string, what = 'numbers') => {
    if (values.length !== n)
      out.push({ path: `${at}.${name}`, message: `must hold ${n} ${what}, got ${values.length}` });
  };
  if (r.kind === 'weight-1d') for (const k of ['loss', 'acc'] as const) need(r[k], r.alphas.length, k);
  if (r.kind === 'input-1d')
    for (const k of ['lossAdv', 'lossRand', 'accAdv', 'accRand'] as const) need(r[k], r.ts.length, k);
  if (r.kind === 'weight-2d' || r.kind === 'input-2d') {
    for (const k of ['loss', 'acc'] as const) {
      need(r[k], r.alphas.length, k, 'rows');
      r[k].forEach((row, i) => need(row, r.betas.length, `${k}[${i}]`));
    }
  }
  if (r.kind === 'duality') {
    const n = r.images.length * r.shape.reduce((a, b) => a * b, 1);
    for (const k of ['x', 'd', 'delta'] as const)
      need(r[k], n, k, `values (${r.images.length} images of [${r.shape.join(', ')}])`);
  }
  return out;
}

/** A checked copy of `raw`, or the issues naming the bad fields (`at` prefixes them). */
export function readLandscapeResult(
  raw: unknown,
  at: string,
): { ok: true; result: LandscapeResult } | { ok: false; issues: InputIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, issues: [{ path: at, message: 'must be an object' }] };
  const r = v.safeParse(landscapeResultSchema, raw);
  if (!r.success) return { ok: false, issues: toIssues(r.issues, at) };
  const issues = shapeIssues(r.output, at);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, result: r.output };
}
