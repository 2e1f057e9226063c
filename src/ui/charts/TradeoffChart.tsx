// The clean-versus-robust trade-off at the latest evaluation: one point per run per attack budget
// (colour: run; shape: budget). Points up and to the right are better on both counts.
import { memo } from 'react';
import type { TradeoffPoint } from '../../state/chartData';
import { runColor } from '../palette';
import { ChartFrame, Marker } from './svgChart';

const percent = (v: number) => `${Math.round(v * 100)}%`;

export const TradeoffChart = memo(function TradeoffChart({ points, attackNames }: { points: TradeoffPoint[]; attackNames: string[] }) {
  return (
    <figure className="chart" data-chart="tradeoff" data-points={points.length} data-runs={[...new Set(points.map((p) => p.runId))].join(',')}>
      <figcaption>
        Clean vs robust accuracy (latest evaluation)
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
      <ChartFrame label="clean versus robust accuracy" xDomain={[0, 1]} yDomain={[0, 1]} xLabel="clean accuracy" xFormat={percent} yFormat={percent}>
        {(scale) =>
          points.map((p) => (
            <Marker key={`${p.runId}|${p.attackIndex}`} shape={p.attackIndex} cx={scale.x(p.clean)} cy={scale.y(p.robust)} r={5} fill={runColor(p.index)}>
              <title>{`${p.name}: clean ${percent(p.clean)}, robust ${percent(p.robust)}`}</title>
            </Marker>
          ))
        }
      </ChartFrame>
    </figure>
  );
});
