// The frame of the 1-D slice charts: a captioned figure (its data attributes name the chart and
// count its runs for the e2e checks) around a line chart with its grid. The caller gives the axes,
// the tooltip and the lines.
import type { ReactNode } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer } from 'recharts';

export function SliceChartFrame({
  chart,
  series,
  caption,
  children,
}: {
  chart: string;
  series: number;
  caption: ReactNode;
  children: ReactNode;
}) {
  return (
    <figure className="chart" data-chart={chart} data-series={series}>
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#ddd" />
          {children}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
