// The entry point the worker calls between training steps: builds the experiment's fixed batch
// and directions once, computes the requested slices and numbers in order, streams each partial
// result, and leaves the model exactly as it found it (weights bit-exact, BatchNorm buffers
// untouched: every pass is in 'eval' mode).
import type { DatasetSplit } from '../data/dataset';
import type { Model } from '../model/model';
import type { ExperimentSpec, RunSpec } from '../spec';
import { disposeBatch } from '../train/objective';
import type { CancelSignal } from './cancel';
import { addCosts, estimateCost } from './cost';
import { disposeDirections, landscapeDirections } from './directions';
import { landscapeBatch } from './evalBatch';
import { DEFAULT_POWER_ITERATION, type PowerIterationOptions } from './hessian';
import { inputSlice1d, inputSlice2d, type InputSliceOptions } from './inputSlice';
import type { InputAdversary, LandscapeCost, LandscapeKind, LandscapeResult } from './results';
import { DEFAULT_SHARPNESS_RHO, sharpness } from './sharpness';
import { weightSlice1d, weightSlice2d } from './weightSlice';

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

function settings(spec: ExperimentSpec, what: LandscapeRequest) {
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
  const s = settings(spec, what);
  const { points1d, points2d } = spec.landscape;
  return addCosts(
    what.kinds.map((kind) => {
      const points = kind.endsWith('2d') ? points2d : points1d;
      return estimateCost(kind, { points, adversary: s.adversary, pgdSteps: spec.eval.pgdSteps, maxIterations: s.power.maxIterations });
    }),
  );
}

/**
 * Computes `what.kinds` in order on the fixed batch of `data.test`. `onPartial` receives each
 * result as it grows (valid during the call only) and each finished one. Throws LandscapeCancelled
 * when `signal.aborted` is seen between points; the model is restored in every case.
 */
export async function computeLandscape(
  model: Model,
  data: DatasetSplit,
  spec: ExperimentSpec,
  what: LandscapeRequest,
  onPartial?: (partial: LandscapeResult) => void,
  signal?: CancelSignal,
): Promise<LandscapeResult[]> {
  const s = settings(spec, what);
  const { points1d, points2d, batchSize } = spec.landscape;
  const needsDirs = what.kinds.includes('weight-2d') ? 2 : what.kinds.includes('weight-1d') ? 1 : 0;
  const batch = landscapeBatch(data.test, batchSize, spec.seed);
  const dirs = landscapeDirections(model, spec.seed, needsDirs);
  const hooks = { onPartial, signal };
  const results: LandscapeResult[] = [];
  try {
    for (const kind of what.kinds) {
      let r: LandscapeResult;
      if (kind === 'weight-1d') r = await weightSlice1d(model, batch, dirs[0], points1d, hooks);
      else if (kind === 'weight-2d') r = await weightSlice2d(model, batch, dirs[0], dirs[1], points2d, hooks);
      else if (kind === 'input-1d') r = await inputSlice1d(model, batch, s.input(points1d, data.test.bounded), hooks);
      else if (kind === 'input-2d') r = await inputSlice2d(model, batch, s.input(points2d, data.test.bounded), hooks);
      else r = await sharpness(model, batch, s.rho, s.power, signal);
      if (kind === 'sharpness') onPartial?.(r);
      results.push(r);
    }
  } finally {
    disposeDirections(dirs);
    disposeBatch(batch);
  }
  return results;
}
