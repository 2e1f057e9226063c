// The attack checks shown with every result, after Carlini et al., "On Evaluating Adversarial
// Robustness" (2019): signs that an attack, not the model, made the robust accuracy high. Pure
// functions over a run's final evaluation (its robust accuracies and its probe, attackProbe.ts).
//   large-eps   accuracy at L-inf 64/255 is ~0 (at most 1 %);
//   monotone    robust accuracy never rises with eps (clean -> each budget -> 64/255), PGD and APGD;
//   steps       more steps never help the model: APGD (more iterations, restarts) <= PGD;
//   gap         PGD overstates robustness by at most 5 points against APGD at every budget;
//   zero-grad   no example has an all-zero input gradient (gradient masking: PGD cannot move it).
// "Never rises" allows one example of slack: different random starts move single examples.
import { attackLabel } from '../budgetLabel';
import { apgdKey, attackKey, type AttackSpec } from '../spec';
import type { HistoryPoint } from './results';

export type CheckId = 'large-eps' | 'monotone' | 'steps' | 'gap' | 'zero-grad';
/** 'na': nothing to check (no probe, no APGD, unbounded inputs). */
export type CheckStatus = 'pass' | 'fail' | 'na';

export interface AttackCheck {
  id: CheckId;
  status: CheckStatus;
  /** The number behind the verdict, short, e.g. "0.0 %" or "+1.2 pts". */
  value: string;
}

export const CHECK_TITLES: Record<CheckId, string> = {
  'large-eps': 'accuracy at L∞ 64/255 ≈ 0 (≤ 1 %)',
  monotone: 'robust accuracy never rises with eps',
  steps: 'more steps never help: APGD ≤ PGD',
  gap: 'PGD overstates by ≤ 5 points (PGD − APGD)',
  'zero-grad': 'no input gradient is all zero',
};

export const LARGE_EPS_MAX_ACC = 0.01;
export const MAX_GAP = 0.05;

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(1)} pts`;

/** Largest rise along a sequence of accuracies (0 when it never rises). */
function largestRise(seq: number[]): number {
  let rise = 0;
  for (let i = 1; i < seq.length; i++) rise = Math.max(rise, seq[i] - seq[i - 1]);
  return rise;
}

/**
 * The checks for one run's final evaluation `point` on an evaluation subset of `n` examples.
 * Undefined point (no evaluation yet) or one without a probe (not a final one): every check 'na'.
 */
export function attackChecks(
  attacks: readonly AttackSpec[],
  point: HistoryPoint | undefined,
  n: number,
): AttackCheck[] {
  const slack = 1 / Math.max(1, n) + 1e-9;
  const probe = point?.probe;
  const na = (id: CheckId): AttackCheck => ({ id, status: 'na', value: '–' });
  if (!point || !probe) return (Object.keys(CHECK_TITLES) as CheckId[]).map(na);
  const out: AttackCheck[] = [];
  if (probe.largeEpsAcc === undefined) out.push(na('large-eps'));
  else
    out.push({
      id: 'large-eps',
      status: probe.largeEpsAcc <= LARGE_EPS_MAX_ACC ? 'pass' : 'fail',
      value: pct(probe.largeEpsAcc),
    });

  let rise = 0;
  for (const norm of ['linf', 'l2'] as const) {
    const sorted = attacks.filter((a) => a.norm === norm).sort((a, b) => a.eps - b.eps);
    for (const key of [attackKey, apgdKey]) {
      const seq = [point.cleanAcc, ...sorted.map((a) => point.robust[key(a)]).filter((v) => v !== undefined)];
      if (
        norm === 'linf' &&
        probe.largeEps !== undefined &&
        probe.largeEpsAcc !== undefined &&
        sorted.every((a) => a.eps <= probe.largeEps!)
      )
        seq.push(probe.largeEpsAcc);
      rise = Math.max(rise, largestRise(seq));
    }
  }
  out.push({
    id: 'monotone',
    status: rise <= slack ? 'pass' : 'fail',
    value: rise > 0 ? `rises ${pts(rise)}` : 'never rises',
  });

  // gap = PGD - APGD per budget: negative when APGD left more standing than PGD.
  const gaps = attacks
    .map((a) => ({ a, gap: point.robust[attackKey(a)] - point.robust[apgdKey(a)] }))
    .filter(({ gap }) => !Number.isNaN(gap));
  if (gaps.length === 0) out.push(na('steps'), na('gap'));
  else {
    const least = Math.min(...gaps.map((g) => g.gap));
    const most = gaps.reduce((m, g) => (g.gap > m.gap ? g : m));
    out.push({ id: 'steps', status: least >= -slack ? 'pass' : 'fail', value: `APGD − PGD ≤ ${pts(-least)}` });
    out.push({
      id: 'gap',
      status: most.gap <= MAX_GAP + slack ? 'pass' : 'fail',
      value: `up to ${pts(most.gap)} (${attackLabel(most.a)})`,
    });
  }
  out.push({ id: 'zero-grad', status: probe.zeroGradShare === 0 ? 'pass' : 'fail', value: pct(probe.zeroGradShare) });
  return out;
}
