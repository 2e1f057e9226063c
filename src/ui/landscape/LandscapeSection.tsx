// The landscapes of the experiment on the page: every run overlaid in the 1-D charts, the 2-D
// small multiples on one colour scale, the sharpness table, a slider through the landscapes
// recorded at past evaluations, sharpness over training, and what SAM's weight perturbation does
// to the input (DualityPanel).
import { useMemo, useState } from 'react';
import { runLabel } from '../../state/runLabel';
import { selectTrainedSpec } from '../../state/selectors';
import { useLab, useLabDeferred } from '../labContext';
import { runColor } from '../palette';
import { DualityPanel } from './DualityPanel';
import { EpochSlider } from './EpochSlider';
import { LandscapePanel } from './LandscapePanel';
import { landscapesAt, landscapeStamps, sharpnessHistory, type RunInfo } from './landscapeViews';
import { SharpnessCurves } from './SharpnessCurves';

export function LandscapeSection() {
  const spec = useLab(selectTrainedSpec);
  // Deferred, as every large view (state/messageBuffer.ts): landscape messages arrive at every evaluation.
  const all = useLabDeferred((s) => s.landscapes);
  /** Index into the stamps; undefined follows the latest (and the landscape in progress). */
  const [pinned, setPinned] = useState<number | undefined>(undefined);
  const runs = useMemo<RunInfo[]>(
    () => spec?.runs.map((r, i) => ({ id: r.id, name: runLabel(r), color: runColor(i) })) ?? [],
    [spec],
  );
  const stamps = useMemo(() => landscapeStamps(runs, all), [runs, all]);
  const at = pinned !== undefined && pinned < stamps.length ? pinned : undefined;
  const shown = useMemo(
    () => landscapesAt(runs, all, at === undefined ? undefined : stamps[at]),
    [runs, all, at, stamps],
  );
  const sharpness = useMemo(() => sharpnessHistory(runs, all), [runs, all]);
  // The duality view comes at every evaluation, the slices only when asked for: it shows alone until then.
  if (!shown.some((r) => r.results.length > 0)) return <DualityPanel />;
  const last = stamps.length - 1;
  return (
    <section className="landscape-section" aria-label="loss landscapes and sharpness" data-stamps={stamps.length}>
      <h3>Loss landscapes</h3>
      {stamps.length > 1 && (
        <EpochSlider
          className="landscape-slider"
          testId="landscape-slider"
          label="recorded at epoch"
          ariaLabel="landscape recorded at epoch"
          last={last}
          index={at ?? last}
          epoch={stamps[at ?? last]}
          latest={at === undefined}
          onPin={setPinned}
        />
      )}
      <LandscapePanel runs={shown} />
      <SharpnessCurves series={sharpness} />
      <DualityPanel />
    </section>
  );
}
