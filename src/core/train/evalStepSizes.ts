// The evaluation attack's step sizes (spec eval.pgdSchedule).
//   'cosine' (the default): alpha_i = eps/16 + (eps/2) (1 + cos(pi i / k)),  i = 0 .. k-1,
//     from just over eps (the first step reaches the edge of the ball from anywhere in it) down to
//     about eps/16 (the last steps refine near a corner instead of jumping across it). Why: with a
//     fixed step, sign-gradient PGD keeps hopping at the scale of its step; Croce & Hein (ICML 2020,
//     sec. 3) make a shrinking step the main change of APGD over PGD. On the default preset's final
//     models (seeds 1-3, L-inf 8/255, 250 images) PGD-10 at a fixed eps/4 left 5 to 11 points more
//     standing than APGD, and this schedule, at the same cost, about half as many (README, "The
//     evaluation").
//   'madry': a fixed max(eps/4, 2.5 eps/k) (Madry et al., 2018, use 2.5 eps/k; never below eps/4
//     so that a long attack still moves), the lab's rule before spec version 2.
// Adversarial training keeps its own fixed step (the run's stepSize).
import type { PgdSchedule } from '../spec';

/** Madry's fixed step for PGD-k at budget eps: max(eps/4, 2.5 eps/k). */
export const madryStepSize = (eps: number, steps: number): number => Math.max(eps / 4, (2.5 * eps) / steps);

/** The k step sizes of the evaluation's PGD-k at budget eps. */
export function evalStepSizes(eps: number, steps: number, schedule: PgdSchedule): number[] {
  if (schedule === 'madry') return new Array<number>(steps).fill(madryStepSize(eps, steps));
  return Array.from({ length: steps }, (_, i) => eps / 16 + (eps / 2) * (1 + Math.cos((Math.PI * i) / steps)));
}
