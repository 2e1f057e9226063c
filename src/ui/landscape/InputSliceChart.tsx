// 1-D input-space slices of every run on one chart: mean loss of x + t u against t (pixel units),
// u the adversarial direction (solid) or a random sign direction (dashed) of the same L-inf norm.
// The gap between the two is how much worse than random the worst case is; a robust model keeps
// the solid line low.
import { memo } from 'react';
import { Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { InputSlice1d } from '../../core/landscape/results';
import type { RunSlice } from './runSlices';
import { SliceChartFrame } from './SliceChartFrame';

const RANDOM_DASH = '5 4';

export const InputSliceChart = memo(function InputSliceChart({ runs }: { runs: RunSlice<InputSlice1d>[] }) {
  const shown = runs.filter((r) => r.result);
  const eps = shown[0]?.result?.ts.at(-1) ?? 1;
  return (
    <SliceChartFrame
      chart="input-slice"
      series={shown.length}
      caption="Input-space slice: loss along the adversarial direction (solid) and a random one (dashed), ×255 pixel units"
    >
      <XAxis
        type="number"
        dataKey="t"
        domain={[0, eps]}
        tickFormatter={(t: number) => (t * 255).toFixed(1)}
        label={{ value: 'perturbation t (/255)', position: 'insideBottom', offset: -8 }}
      />
      <YAxis type="number" domain={[0, 'auto']} width={48} tickFormatter={(v: number) => v.toFixed(2)} />
      <Tooltip
        formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))}
        labelFormatter={(t) => `t = ${(Number(t) * 255).toFixed(2)}/255`}
      />
      {shown.flatMap((r) => {
        const s = r.result!;
        return [
          <Line
            key={`${r.id}-adv`}
            data={s.lossAdv.map((y, i) => ({ t: s.ts[i], y }))}
            dataKey="y"
            name={`${r.name} adversarial`}
            stroke={r.color}
            dot={{ r: 2 }}
            strokeWidth={2}
            isAnimationActive={false}
          />,
          <Line
            key={`${r.id}-rand`}
            data={s.lossRand.map((y, i) => ({ t: s.ts[i], y }))}
            dataKey="y"
            name={`${r.name} random`}
            stroke={r.color}
            strokeDasharray={RANDOM_DASH}
            dot={false}
            strokeWidth={1.5}
            isAnimationActive={false}
          />,
        ];
      })}
    </SliceChartFrame>
  );
});
