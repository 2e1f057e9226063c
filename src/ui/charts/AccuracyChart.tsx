// Accuracy per evaluation against epochs: one line per series (a run, or a run at one attack budget).
// Colour is the run's, the dash pattern the attack's; a final APGD point is a hollow square.
import { memo } from 'react';
import type { AccuracySeriesData } from '../../state/chartData';
import { attackDash, runColor } from '../palette';
import { ChartFrame, linePath } from './svgChart';

const percent = (v: number) => `${Math.round(v * 100)}%`;

export const AccuracyChart = memo(function AccuracyChart({
  title,
  kind,
  series,
}: {
  title: string;
  kind: string;
  series: AccuracySeriesData[];
}) {
  let points = 0;
  let maxEpoch = 0;
  for (const s of series) {
    if (!s.apgd) points += s.points.length;
    for (const p of s.points) maxEpoch = Math.max(maxEpoch, p.epoch);
  }
  const apgdPoints = series.filter((s) => s.apgd).length;
  return (
    <figure
      className="chart"
      data-chart={kind}
      data-points={points}
      data-apgd-points={apgdPoints}
      data-series={series.filter((s) => !s.apgd && s.points.length > 0).length}
    >
      <figcaption>{title}</figcaption>
      <ChartFrame label={title} xDomain={[0, Math.max(maxEpoch, 1)]} yDomain={[0, 1]} xLabel="epoch" yFormat={percent}>
        {(scale) =>
          series.map((s) =>
            s.apgd ? (
              <g key={s.key} stroke={runColor(s.index)} fill="#fff" className="apgd-mark">
                {s.points.map((p, i) => (
                  <rect key={i} x={scale.x(p.epoch) - 4} y={scale.y(p.acc) - 4} width={8} height={8} strokeWidth={2}>
                    <title>{`${s.name}: ${percent(p.acc)} (final evaluation)`}</title>
                  </rect>
                ))}
              </g>
            ) : (
              <g key={s.key} stroke={runColor(s.index)} fill={runColor(s.index)}>
                <path
                  className="series-line"
                  data-testid="series-line"
                  d={linePath(
                    s.points.map((p) => ({ x: p.epoch, y: p.acc })),
                    scale,
                  )}
                  fill="none"
                  strokeWidth={2}
                  strokeDasharray={attackDash(s.attackIndex)}
                />
                {s.points.map((p, i) => (
                  <circle key={i} cx={scale.x(p.epoch)} cy={scale.y(p.acc)} r={2.5} stroke="none">
                    <title>{`${s.name}: ${percent(p.acc)} at epoch ${p.epoch.toFixed(2)}`}</title>
                  </circle>
                ))}
              </g>
            ),
          )
        }
      </ChartFrame>
    </figure>
  );
});
