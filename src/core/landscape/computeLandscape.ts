// The entry point the worker calls between training steps: builds the experiment's fixed batch
// and directions once, computes the requested slices and numbers in order, streams each partial
// result, and leaves the model exactly as it found it (weights bit-exact, BatchNorm buffers
// untouched: every pass is in 'eval' mode).
import type { DatasetSplit } from '../data/dataset';
import { dualityAttack, dualityView, DUALITY_IMAGES } from '../duality/dualityView';
import type { Model } from '../model/model';
import type { ExperimentSpec, RunSpec } from '../spec';
import { disposeBatch } from '../train/objective';
import { throwIfCancelled, type CancelSignal } from './cancel';
import { disposeDirections, landscapeDirections } from './directions';
import { landscapeBatch } from './evalBatch';
import { inputSlice1d, inputSlice2d } from './inputSlice';
import { dualityRho, landscapeSettings, type LandscapeRequest } from './request';
import type { LandscapeResult } from './results';
import { sharpness } from './sharpness';
import { weightSlice1d, weightSlice2d } from './weightSlice';

// The request and its cost estimate live in request.ts (no tfjs there); re-exported for callers.
export { estimateLandscapeCost, sharpnessRho, type LandscapeRequest } from './request';

/**
 * Computes `what.kinds` in order on the fixed batch of `data.test`. `onPartial` receives each
 * result as it grows (valid during the call only) and each finished one; a promise it returns is
 * awaited, so a worker can let its messages (cancel) in between points. Throws LandscapeCancelled
 * when `signal.aborted` is seen between points; the model is restored in every case.
 */
export async function computeLandscape(
  model: Model,
  data: DatasetSplit,
  spec: ExperimentSpec,
  what: LandscapeRequest,
  onPartial?: (partial: LandscapeResult) => unknown,
  signal?: CancelSignal,
  /** The run measured (its attack for the duality view); default the spec's first run. */
  run: RunSpec = spec.runs[0],
): Promise<LandscapeResult[]> {
  const s = landscapeSettings(spec, what);
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
      else if (kind === 'duality') {
        throwIfCancelled(signal);
        const o = {
          rho: dualityRho(spec),
          attack: dualityAttack(spec, run),
          images: DUALITY_IMAGES,
          bounded: data.test.bounded,
          seed: spec.seed,
        };
        r = await dualityView(model, batch, o);
      } else r = await sharpness(model, batch, s.rho, s.power, signal);
      if (kind === 'sharpness' || kind === 'duality') await onPartial?.(r);
      results.push(r);
    }
  } finally {
    disposeDirections(dirs);
    disposeBatch(batch);
  }
  return results;
}
