// 1-D weight-space slices of every run on one chart: loss (or accuracy) at w + a d against a,
// d the experiment's shared filter-normalised direction (Li et al., 2018). A flatter curve around
// a = 0 is a flatter minimum along that direction.
import { memo } from 'react';
import { Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { WeightSlice1d } from '../../core/landscape/results';
import type { RunSlice } from './runSlices';
import { SliceChartFrame } from './SliceChartFrame';

export const WeightSliceChart = memo(function WeightSliceChart({
  runs,
  metric = 'loss',
}: {
  runs: RunSlice<WeightSlice1d>[];
  metric?: 'loss' | 'acc';
}) {
  const shown = runs.filter((r) => r.result);
  return (
    <SliceChartFrame
      chart="weight-slice"
      series={shown.length}
      caption={<>Weight-space slice: {metric === 'loss' ? 'loss' : 'accuracy'} along a filter-normalised direction</>}
    >
      <XAxis
        type="number"
        dataKey="a"
        domain={[-1, 1]}
        label={{ value: 'α (step along d)', position: 'insideBottom', offset: -8 }}
      />
      <YAxis
        type="number"
        domain={metric === 'acc' ? [0, 1] : [0, 'auto']}
        width={48}
        tickFormatter={(v: number) => v.toFixed(2)}
      />
      <Tooltip
        formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))}
        labelFormatter={(a) => `α = ${Number(a).toFixed(2)}`}
      />
      {shown.map((r) => {
        const s = r.result!;
        const values = metric === 'loss' ? s.loss : s.acc;
        return (
          <Line
            key={r.id}
            data={values.map((y, i) => ({ a: s.alphas[i], y }))}
            dataKey="y"
            name={r.name}
            stroke={r.color}
            dot={{ r: 2 }}
            strokeWidth={2}
            isAnimationActive={false}
          />
        );
      })}
    </SliceChartFrame>
  );
});
