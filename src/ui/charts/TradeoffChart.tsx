// The clean-versus-robust trade-off at the latest evaluation: one point per run per attack budget
// (colour: run; shape: budget; text: run), with each run's path over its evaluations drawn faintly
// behind it. The axes fit the latest points, so runs a few points apart stay apart; the older part
// of a path may leave the plot (clipped). Points up and to the right are better on both counts.
import { memo, useId } from 'react';
import type { TradeoffPoint } from '../../state/chartData';
import { runColor } from '../palette';
import { fitDomain } from './fitDomain';
import { placeLabels } from './placeLabels';
import { ChartFrame, linePath, Marker } from './svgChart';

const percent = (v: number) => `${Math.round(v * 100)}%`;
const X_TICKS = 6;
const Y_TICKS = 5;

export const TradeoffChart = memo(function TradeoffChart({
  points,
  attackNames,
}: {
  points: TradeoffPoint[];
  attackNames: string[];
}) {
  const clipId = `tradeoff-clip-${useId().replace(/[^\w-]/g, '')}`;
  const xDomain = fitDomain(
    points.map((p) => p.clean),
    X_TICKS,
  );
  const yDomain = fitDomain(
    points.map((p) => p.robust),
    Y_TICKS,
  );
  return (
    <figure
      className="chart"
      data-chart="tradeoff"
      data-points={points.length}
      data-runs={[...new Set(points.map((p) => p.runId))].join(',')}
      data-x-domain={xDomain.join(',')}
      data-y-domain={yDomain.join(',')}
    >
      <figcaption>
        Clean vs robust accuracy (latest; faint: path so far)
        <span className="shape-legend">
          {attackNames.map((name, i) => (
            <span key={name} className="legend-item">
              <svg width="12" height="12" aria-hidden>
                <Marker shape={i} cx={6} cy={6} r={4.5} fill="#555" />
              </svg>
              {name}
            </span>
          ))}
        </span>
      </figcaption>
      <ChartFrame
        label="clean versus robust accuracy"
        xDomain={xDomain}
        yDomain={yDomain}
        xLabel="clean accuracy"
        yLabel="robust accuracy"
        xFormat={percent}
        yFormat={percent}
      >
        {(scale) => {
          const bounds = {
            x0: scale.x(xDomain[0]),
            x1: scale.x(xDomain[1]),
            y0: scale.y(yDomain[1]),
            y1: scale.y(yDomain[0]),
          };
          const labels = placeLabels(
            points.map((p) => ({ x: scale.x(p.clean), y: scale.y(p.robust), text: p.run })),
            { bounds, charWidth: 6.2, lineHeight: 12, gap: 8 },
          );
          return (
            <>
              <clipPath id={clipId}>
                <rect x={bounds.x0} y={bounds.y0} width={bounds.x1 - bounds.x0} height={bounds.y1 - bounds.y0} />
              </clipPath>
              <g clipPath={`url(#${clipId})`}>
                {points.map((p) => (
                  <g
                    key={`${p.runId}|${p.attackIndex}`}
                    className="tradeoff-trail"
                    data-testid="tradeoff-trail"
                    data-run={p.runId}
                    data-evaluations={p.trail.length}
                    stroke={runColor(p.index)}
                    fill={runColor(p.index)}
                  >
                    <path
                      d={linePath(
                        p.trail.map((t) => ({ x: t.clean, y: t.robust })),
                        scale,
                      )}
                      fill="none"
                    />
                    {p.trail.slice(0, -1).map((t, i) => (
                      <circle key={i} cx={scale.x(t.clean)} cy={scale.y(t.robust)} r={2} stroke="none" />
                    ))}
                  </g>
                ))}
              </g>
              {points.map((p) => (
                <Marker
                  key={`${p.runId}|${p.attackIndex}`}
                  shape={p.attackIndex}
                  cx={scale.x(p.clean)}
                  cy={scale.y(p.robust)}
                  r={5.5}
                  fill={runColor(p.index)}
                >
                  <title>{`${p.name}: clean ${percent(p.clean)}, robust ${percent(p.robust)}`}</title>
                </Marker>
              ))}
              {points.map((p, i) => (
                <text
                  key={`${p.runId}|${p.attackIndex}`}
                  className="tradeoff-label"
                  data-testid="tradeoff-label"
                  data-run={p.runId}
                  x={labels[i].x}
                  y={labels[i].y}
                  textAnchor={labels[i].anchor}
                  dominantBaseline="middle"
                >
                  {p.run}
                </text>
              ))}
            </>
          );
        }}
      </ChartFrame>
    </figure>
  );
});
