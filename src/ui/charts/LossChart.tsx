// Training loss per step, smoothed (EMA), one line per run.
import { memo } from 'react';
import type { LossSeriesData } from '../../state/chartData';
import { runColor } from '../palette';
import { ChartFrame, linePath } from './svgChart';

export const LossChart = memo(function LossChart({ series }: { series: LossSeriesData[] }) {
  let points = 0;
  let maxStep = 1;
  let maxLoss = 0;
  for (const s of series) {
    points += s.points.length;
    for (const p of s.points) {
      maxStep = Math.max(maxStep, p.step);
      maxLoss = Math.max(maxLoss, p.loss);
    }
  }
  return (
    <figure className="chart" data-chart="loss" data-points={points}>
      <figcaption>Training loss (smoothed)</figcaption>
      <ChartFrame
        label="training loss per step"
        xDomain={[0, maxStep]}
        yDomain={[0, maxLoss > 0 ? maxLoss * 1.05 : 1]}
        xLabel="step"
        yFormat={(v) => (v >= 1000 ? v.toExponential(0) : v.toFixed(v < 1 ? 2 : 1))}
      >
        {(scale) =>
          series.map((s) => (
            <path
              key={s.runId}
              className="series-line"
              data-testid="series-line"
              d={linePath(
                s.points.map((p) => ({ x: p.step, y: p.loss })),
                scale,
              )}
              stroke={runColor(s.index)}
              fill="none"
              strokeWidth={2}
            >
              <title>{s.name}</title>
            </path>
          ))
        }
      </ChartFrame>
    </figure>
  );
});
