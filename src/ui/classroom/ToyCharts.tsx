// The classroom's training curves: robust-feature weight share, and clean (solid) / robust (dashed)
// accuracy, per method, over the training steps.
import { memo, type ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { TOY_METHODS } from '../../core/toy/toyTrain';
import { useLabelWidth } from '../charts/useLabelWidth';
import { METHOD_COLORS, METHOD_NAMES, type ToyChartRow } from './toyChartData';

const percent = (v: number) => `${Math.round(v * 100)}%`;
// The y ticks, given so the axis is as wide as their measured labels (in presentation type too).
const SHARE_TICKS = [0, 0.25, 0.5, 0.75, 1];
const ACCURACY_TICKS = [0.4, 0.55, 0.7, 0.85, 1];
const tooltipValue = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v));

// The frame both charts share: caption, step axis, grid, tooltip and legend around their y axis and lines.
function StepFrame({
  chart,
  caption,
  rows,
  yAxis,
  children,
}: {
  chart: string;
  caption: ReactNode;
  rows: ToyChartRow[];
  yAxis: ReactNode;
  children: ReactNode;
}) {
  return (
    <figure className="chart" data-chart={chart}>
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          <XAxis
            type="number"
            dataKey="step"
            domain={[0, 'dataMax']}
            label={{ value: 'step', position: 'insideBottom', offset: -8 }}
          />
          {yAxis}
          <Tooltip formatter={tooltipValue} labelFormatter={(s) => `step ${s}`} />
          <Legend verticalAlign="top" height={24} />
          {children}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

export const ShareChart = memo(function ShareChart({ rows }: { rows: ToyChartRow[] }) {
  const yWidth = useLabelWidth(SHARE_TICKS.map(percent));
  return (
    <StepFrame
      chart="toy-share"
      caption="Share of the model's weight on robust features (higher: more robust features)"
      rows={rows}
      yAxis={<YAxis type="number" domain={[0, 1]} ticks={SHARE_TICKS} width={yWidth} tickFormatter={percent} />}
    >
      {TOY_METHODS.map((m) => (
        <Line
          key={m}
          dataKey={`${m}Share`}
          name={METHOD_NAMES[m]}
          stroke={METHOD_COLORS[m]}
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
        />
      ))}
    </StepFrame>
  );
});

export const ToyAccuracyChart = memo(function ToyAccuracyChart({ rows, eps }: { rows: ToyChartRow[]; eps: number }) {
  const yWidth = useLabelWidth(ACCURACY_TICKS.map(percent));
  return (
    <StepFrame
      chart="toy-accuracy"
      caption={<>Test accuracy: clean (solid) and robust at eps = {eps} (dashed)</>}
      rows={rows}
      yAxis={
        <YAxis
          type="number"
          domain={[0.4, 1]}
          ticks={ACCURACY_TICKS}
          width={yWidth}
          tickFormatter={percent}
          allowDataOverflow
        />
      }
    >
      {TOY_METHODS.flatMap((m) => [
        <Line
          key={`${m}c`}
          dataKey={`${m}Clean`}
          name={`${METHOD_NAMES[m]} clean`}
          stroke={METHOD_COLORS[m]}
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
        />,
        <Line
          key={`${m}r`}
          dataKey={`${m}Robust`}
          name={`${METHOD_NAMES[m]} robust`}
          stroke={METHOD_COLORS[m]}
          strokeDasharray="6 3"
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
        />,
      ])}
    </StepFrame>
  );
});
