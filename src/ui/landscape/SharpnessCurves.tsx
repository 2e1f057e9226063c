// Sharpness over training: SAM sharpness L(w + rho g/||g||) - L(w) and the top Hessian eigenvalue
// at each recorded landscape, one line per run, so SAM's flattening (or AT's) shows as it happens.
import { memo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunInfo, SharpnessPoint } from './landscapeViews';

type Metric = 'samSharpness' | 'hessianTop';
const TITLES: Record<Metric, string> = {
  samSharpness: 'SAM sharpness over training',
  hessianTop: 'λ_max(H) over training',
};

function Curve({ series, metric }: { series: { run: RunInfo; points: SharpnessPoint[] }[]; metric: Metric }) {
  return (
    <figure
      className="chart"
      data-chart={`sharpness-${metric}`}
      data-series={series.length}
      style={{ flex: '1 1 280px', margin: 0 }}
    >
      <figcaption>{TITLES[metric]}</figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          <XAxis
            type="number"
            dataKey="epoch"
            domain={['dataMin', 'dataMax']}
            label={{ value: 'epoch', position: 'insideBottom', offset: -8 }}
          />
          <YAxis type="number" domain={['auto', 'auto']} width={56} tickFormatter={(v: number) => v.toPrecision(2)} />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? v.toPrecision(4) : String(v))}
            labelFormatter={(e) => `epoch ${Number(e).toFixed(2)}`}
          />
          {series.map(({ run, points }) => (
            <Line
              key={run.id}
              data={points}
              dataKey={metric}
              name={run.name}
              stroke={run.color}
              dot={{ r: 3 }}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export const SharpnessCurves = memo(function SharpnessCurves({
  series,
}: {
  series: { run: RunInfo; points: SharpnessPoint[] }[];
}) {
  const shown = series.filter((s) => s.points.length > 0);
  // A curve needs two evaluations; one point is already in the table.
  if (!shown.some((s) => s.points.length > 1)) return null;
  return (
    <div className="sharpness-curves" style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
      <Curve series={shown} metric="samSharpness" />
      <Curve series={shown} metric="hessianTop" />
    </div>
  );
});
