// What a landscape request asks for and what it will cost, without tfjs: the page shows the
// estimate next to its "Slice now" button, and the page's bundle must not pull in tfjs.
import type { ExperimentSpec, RunSpec } from '../spec';
import { addCosts, estimateCost } from './cost';
import type { PowerIterationOptions } from './hessian';
import type { InputSliceOptions } from './inputSlice';
import type { InputAdversary, LandscapeCost, LandscapeKind } from './results';

/** Every slice kind, in the order the page computes them (the cheap 1-D views first). */
export const LANDSCAPE_KINDS: LandscapeKind[] = ['weight-1d', 'input-1d', 'weight-2d', 'input-2d', 'sharpness'];

/** The slices and the duality view (computed at every evaluation on its own, core/duality). */
export const ALL_LANDSCAPE_KINDS: LandscapeKind[] = [...LANDSCAPE_KINDS, 'duality'];

/** The default SAM radius for runs that are not SAM runs (Foret et al.'s common setting). */
export const DEFAULT_SHARPNESS_RHO = 0.05;

export const DEFAULT_POWER_ITERATION: Omit<PowerIterationOptions, 'seed'> = {
  maxIterations: 20,
  tolerance: 1e-3,
  relStep: 1e-3,
};

export interface LandscapeRequest {
  kinds: LandscapeKind[];
  /** SAM sharpness radius; default sharpnessRho of the run, or 0.05. */
  rho?: number;
  /** Adversarial input direction; default 'pgd'. */
  adversary?: InputAdversary;
  /** Power-iteration settings; default DEFAULT_POWER_ITERATION with the experiment seed. */
  power?: Partial<PowerIterationOptions>;
}

/** The run's own rho for a SAM run, so its sharpness is measured at the radius it trains against. */
export function sharpnessRho(run: RunSpec): number {
  return run.method === 'sam' && run.rho > 0 ? run.rho : DEFAULT_SHARPNESS_RHO;
}

/** The radius every run's duality view is measured at: the experiment's first SAM radius, else 0.05. */
export function dualityRho(spec: ExperimentSpec): number {
  const sam = spec.runs.find((r) => r.method === 'sam' && r.rho > 0);
  return sam?.method === 'sam' ? sam.rho : DEFAULT_SHARPNESS_RHO;
}

/** The request's settings with their defaults filled in from the spec. */
export function landscapeSettings(spec: ExperimentSpec, what: LandscapeRequest) {
  const power: PowerIterationOptions = { ...DEFAULT_POWER_ITERATION, seed: spec.seed, ...what.power };
  const adversary = what.adversary ?? 'pgd';
  const input = (points: number, bounded: boolean): InputSliceOptions => ({
    eps: spec.landscape.inputEps,
    points,
    adversary,
    pgdSteps: spec.eval.pgdSteps,
    bounded,
    seed: spec.seed,
  });
  return { power, adversary, input, rho: what.rho ?? DEFAULT_SHARPNESS_RHO };
}

/** What `computeLandscape(…, spec, what)` will cost, before running it. */
export function estimateLandscapeCost(spec: ExperimentSpec, what: LandscapeRequest): LandscapeCost {
  const s = landscapeSettings(spec, what);
  const { points1d, points2d } = spec.landscape;
  return addCosts(
    what.kinds.map((kind) => {
      const points = kind.endsWith('2d') ? points2d : points1d;
      return estimateCost(kind, {
        points,
        adversary: s.adversary,
        pgdSteps: spec.eval.pgdSteps,
        maxIterations: s.power.maxIterations,
      });
    }),
  );
}
