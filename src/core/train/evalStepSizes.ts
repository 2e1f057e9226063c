// The evaluation attack's step sizes (spec eval.pgdSchedule), i = 0 .. k-1:
//   'cosine' (the default): alpha_i = eps/16 + eps (1 + cos(pi i / k)),
//     from about 2 eps, APGD's first step (Croce & Hein, ICML 2020, sec. 3: eta(0) = 2 eps), down
//     to about eps/16 (the last steps refine near a corner instead of jumping across it). Why: with
//     a fixed step, sign-gradient PGD keeps hopping at the scale of its step; a shrinking step is
//     the main change of APGD over PGD. On the default preset's final models (seeds 1-5, 15 runs,
//     250 images) PGD-10 at L-inf 8/255 left 3.6 to 9.6 points more standing than APGD with a fixed
//     eps/4, and 1.2 to 4.8 (mean 3.1) with this schedule, at the same cost.
//   'cosine-eps': alpha_i = eps/16 + (eps/2) (1 + cos(pi i / k)), from about eps, spec version 2's
//     default; on the same models 1.2 to 5.6 (mean 3.6), the gap check red on one of them.
//   'madry': a fixed max(eps/4, 2.5 eps/k) (Madry et al., 2018, use 2.5 eps/k; never below eps/4
//     so that a long attack still moves), the lab's rule before spec version 2.
// Adversarial training keeps its own fixed step (the run's stepSize).
import type { PgdSchedule } from '../spec';

/** Madry's fixed step for PGD-k at budget eps: max(eps/4, 2.5 eps/k). */
export const madryStepSize = (eps: number, steps: number): number => Math.max(eps / 4, (2.5 * eps) / steps);

/** The largest step of the cosine schedules, as a multiple of eps (the smallest is eps/16). */
const COSINE_START: Record<Exclude<PgdSchedule, 'madry'>, number> = { cosine: 2, 'cosine-eps': 1 };

/** The k step sizes of the evaluation's PGD-k at budget eps. */
export function evalStepSizes(eps: number, steps: number, schedule: PgdSchedule): number[] {
  if (schedule === 'madry') return new Array<number>(steps).fill(madryStepSize(eps, steps));
  const half = (COSINE_START[schedule] * eps) / 2;
  return Array.from({ length: steps }, (_, i) => eps / 16 + half * (1 + Math.cos((Math.PI * i) / steps)));
}
