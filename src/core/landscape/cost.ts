// The work a landscape computation will take, in passes over the fixed batch, known before it
// starts (the page shows it next to the button; results carry it beside what was measured).
import type { InputAdversary, LandscapeCost, LandscapeKind } from './results';

export interface CostParams {
  /** Points per axis (slices). */
  points?: number;
  /** How the adversarial input direction is found (input slices). */
  adversary?: InputAdversary;
  /** PGD steps of the adversarial input direction. */
  pgdSteps?: number;
  /** Power-iteration cap (sharpness); the estimate is this upper bound. */
  maxIterations?: number;
}

export function estimateCost(kind: LandscapeKind, p: CostParams): LandscapeCost {
  const n = p.points ?? 0;
  const directionGrads = p.adversary === 'gradient-sign' ? 1 : (p.pgdSteps ?? 0);
  switch (kind) {
    case 'weight-1d':
      return { evals: n, gradEvals: 0 };
    case 'weight-2d':
      return { evals: n * n, gradEvals: 0 };
    case 'input-1d':
      // One forward per point along each of the two directions.
      return { evals: 2 * n, gradEvals: directionGrads };
    case 'input-2d':
      return { evals: n * n, gradEvals: directionGrads };
    case 'sharpness':
      // SAM: g at w (which also gives L(w)), one forward at w + e. Hessian: two gradients per iteration.
      return { evals: 1, gradEvals: 1 + 2 * (p.maxIterations ?? 0) };
    case 'duality':
      // g on the batch, then PGD on a few images (the solve is a few small convs on those images).
      return { evals: 0, gradEvals: 1 + (p.pgdSteps ?? 0) };
  }
}

/** The sum of several estimates. */
export function addCosts(costs: LandscapeCost[]): LandscapeCost {
  return costs.reduce((s, c) => ({ evals: s.evals + c.evals, gradEvals: s.gradEvals + c.gradEvals }), {
    evals: 0,
    gradEvals: 0,
  });
}
