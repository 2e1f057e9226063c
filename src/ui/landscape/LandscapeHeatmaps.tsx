// 2-D slices of every run side by side (small multiples) on one colour scale and one set of
// contour levels, so a wider basin or a gentler input slope reads directly across runs.
import { memo, useMemo } from 'react';
import type { InputSlice2d, WeightSlice2d } from '../../core/landscape/results';
import { ColorLegend } from './ColorLegend';
import { sharedScale, type ScaleKind } from './colorScale';
import { contourLevels } from './contours';
import { Heatmap } from './Heatmap';
import type { RunSlice } from './runSlices';

export interface LandscapeHeatmapsProps {
  title: string;
  runs: RunSlice<WeightSlice2d | InputSlice2d>[];
  scale?: ScaleKind;
  /** Contour lines per heatmap. */
  contours?: number;
  size?: number;
}

export const LandscapeHeatmaps = memo(function LandscapeHeatmaps({
  title,
  runs,
  scale = 'log',
  contours = 8,
  size,
}: LandscapeHeatmapsProps) {
  const shown = useMemo(() => runs.filter((r): r is Required<typeof r> => r.result !== undefined), [runs]);
  const shared = useMemo(
    () =>
      sharedScale(
        shown.map((r) => r.result.loss),
        scale,
      ),
    [shown, scale],
  );
  const levels = useMemo(() => contourLevels(shared.lo, shared.hi, contours), [shared, contours]);
  if (shown.length === 0) return null;
  const input = shown[0].result.kind === 'input-2d';
  const [xLabel, yLabel] = input ? ['adversarial', 'random'] : ['α', 'β'];
  return (
    <section
      className="landscape-heatmaps"
      data-testid="landscape-heatmaps"
      aria-label={title}
      data-runs={shown.length}
    >
      <h4>{title}</h4>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
        {shown.map((r) => (
          <Heatmap
            key={r.id}
            title={r.name}
            color={r.color}
            alphas={r.result.alphas}
            betas={r.result.betas}
            values={r.result.loss}
            scale={shared}
            levels={levels}
            xLabel={xLabel}
            yLabel={yLabel}
            size={size}
          />
        ))}
      </div>
      <ColorLegend scale={shared} />
    </section>
  );
});
