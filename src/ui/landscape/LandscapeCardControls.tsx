// A run card's landscape line: "Slice now" (while training, paused or after the end: the worker
// computes between steps), the estimated cost, the landscape in progress with its progress and a
// Cancel, and the measured time of the last one. A run shown from saved data has no worker, so
// "Slice now" is off there and says why.
import { memo, useId, useMemo } from 'react';
import { estimateLandscapeCost, LANDSCAPE_KINDS, sharpnessRho } from '../../core/landscape/request';
import type { RunStatus } from '../../core/train/results';
import { EMPTY_RUN_LANDSCAPES, isDualityRecord, passes, sliceRecords } from '../../state/landscapeSlice';
import { WEIGHTS_GONE_REASON } from '../../state/runsSlice';
import { selectTrainedSpec, selectWeightsGone } from '../../state/selectors';
import { useLab, useLabContext } from '../labContext';

/** States in which the run's worker holds a model to measure. */
const HAS_MODEL: ReadonlySet<RunStatus> = new Set(['training', 'paused', 'done', 'stopped', 'diverged']);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const LandscapeCardControls = memo(function LandscapeCardControls({
  id,
  status,
}: {
  id: string;
  status: RunStatus;
}) {
  const { controller } = useLabContext();
  const spec = useLab(selectTrainedSpec);
  const rec = useLab((s) => s.landscapes[id]) ?? EMPTY_RUN_LANDSCAPES;
  const weightsGone = useLab(selectWeightsGone(id));
  const reasonId = useId();
  const estimate = useMemo(() => {
    const run = spec?.runs.find((r) => r.id === id);
    return spec && run
      ? passes(estimateLandscapeCost(spec, { kinds: LANDSCAPE_KINDS, rho: sharpnessRho(run) }))
      : undefined;
  }, [spec, id]);
  const slices = useMemo(() => sliceRecords(rec.slices), [rec.slices]);
  if (!spec || estimate === undefined) return null;
  // The duality view of each evaluation (core/duality) is not a landscape the user asked for: not shown as one.
  const current = rec.current && !isDualityRecord(rec.current) ? rec.current : undefined;
  const last = slices.at(-1);
  const busy = current !== undefined || rec.queued.length > 0;
  return (
    <div
      className="landscape-controls"
      data-testid="landscape-controls"
      data-landscapes={slices.length}
      data-busy={busy}
    >
      <button
        type="button"
        className="small slice-now"
        disabled={weightsGone || !HAS_MODEL.has(status) || busy}
        aria-describedby={weightsGone ? reasonId : undefined}
        onClick={() => controller.landscape(id)}
      >
        Slice now
      </button>
      <span
        className="estimate"
        data-testid="landscape-estimate"
        title={`${spec.landscape.points1d}-point 1-D and ${spec.landscape.points2d}×${spec.landscape.points2d} 2-D slices, sharpness`}
      >
        ≈ {estimate.toLocaleString()} passes of {spec.landscape.batchSize}
      </span>
      {current ? (
        <span className="landscape-progress">
          <progress max={1} value={current.progress} aria-label="landscape progress" /> epoch {current.epoch.toFixed(2)}
          , {Math.round(current.progress * 100)} %, {seconds(current.ms)}
          <button type="button" className="small" onClick={() => controller.cancelLandscape(id, current.requestId)}>
            Cancel
          </button>
        </span>
      ) : rec.queued.length > 0 ? (
        <span className="landscape-progress">
          waiting for a step boundary…
          <button
            type="button"
            className="small"
            onClick={() => rec.queued.forEach((q) => controller.cancelLandscape(id, q))}
          >
            Cancel
          </button>
        </span>
      ) : (
        last && (
          <span className="measured" data-testid="landscape-measured">
            last: {seconds(last.ms)} (epoch {last.epoch.toFixed(2)})
          </span>
        )
      )}
      {weightsGone && (
        <small className="weights-gone" id={reasonId}>
          {WEIGHTS_GONE_REASON}
        </small>
      )}
      {rec.error && (
        <span className="error" role="alert">
          {rec.error}
        </span>
      )}
    </div>
  );
});
