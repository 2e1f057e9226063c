// Small SVG charts drawn directly: one <path> per series, a handful of ticks. A general chart
// library re-renders thousands of elements per update, which on a small machine whose cores are
// busy training holds the main thread for hundreds of milliseconds; these stay well under 50 ms.
import type { ReactNode } from 'react';
import { niceStep } from './fitDomain';

export const VIEW_W = 480;
export const VIEW_H = 230;
const M = { top: 10, right: 14, bottom: 34, left: 46 };
export const PLOT_W = VIEW_W - M.left - M.right;
export const PLOT_H = VIEW_H - M.top - M.bottom;

/** About `count` round tick values covering [min, max] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const step = niceStep(max - min, count);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export interface Scale {
  x(v: number): number;
  y(v: number): number;
}

export function makeScale(xDomain: [number, number], yDomain: [number, number]): Scale {
  const [x0, x1] = xDomain;
  const [y0, y1] = yDomain;
  const sx = PLOT_W / (x1 - x0 || 1);
  const sy = PLOT_H / (y1 - y0 || 1);
  return { x: (v) => M.left + (v - x0) * sx, y: (v) => M.top + PLOT_H - (v - y0) * sy };
}

interface FrameProps {
  xDomain: [number, number];
  yDomain: [number, number];
  xLabel: string;
  /** Shown up the left edge when the caption does not say what y is. */
  yLabel?: string;
  yFormat(v: number): string;
  xFormat?(v: number): string;
  children(scale: Scale): ReactNode;
  label: string;
}

export function ChartFrame({
  xDomain,
  yDomain,
  xLabel,
  yLabel,
  yFormat,
  xFormat = (v) => String(v),
  children,
  label,
}: FrameProps) {
  const scale = makeScale(xDomain, yDomain);
  const xt = niceTicks(xDomain[0], xDomain[1], 6);
  const yt = niceTicks(yDomain[0], yDomain[1], 5);
  return (
    <svg viewBox={`0 0 ${VIEW_W} ${VIEW_H}`} role="img" aria-label={label} className="svg-chart">
      <g className="grid">
        {yt.map((v) => (
          <line key={`y${v}`} x1={M.left} x2={M.left + PLOT_W} y1={scale.y(v)} y2={scale.y(v)} />
        ))}
        {xt.map((v) => (
          <line key={`x${v}`} x1={scale.x(v)} x2={scale.x(v)} y1={M.top} y2={M.top + PLOT_H} />
        ))}
      </g>
      <g className="axis">
        <line x1={M.left} x2={M.left + PLOT_W} y1={M.top + PLOT_H} y2={M.top + PLOT_H} />
        <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + PLOT_H} />
        {yt.map((v) => (
          <text key={`y${v}`} x={M.left - 5} y={scale.y(v)} textAnchor="end" dominantBaseline="middle">
            {yFormat(v)}
          </text>
        ))}
        {xt.map((v) => (
          <text key={`x${v}`} x={scale.x(v)} y={M.top + PLOT_H + 14} textAnchor="middle">
            {xFormat(v)}
          </text>
        ))}
        <text x={M.left + PLOT_W / 2} y={VIEW_H - 4} textAnchor="middle" className="axis-label">
          {xLabel}
        </text>
        {yLabel && (
          <text
            x={9}
            y={M.top + PLOT_H / 2}
            textAnchor="middle"
            dominantBaseline="middle"
            transform={`rotate(-90 9 ${M.top + PLOT_H / 2})`}
            className="axis-label"
          >
            {yLabel}
          </text>
        )}
      </g>
      <g className="plot">{children(scale)}</g>
    </svg>
  );
}

/** The SVG path of a polyline through `points` (NaN points are skipped). */
export function linePath(points: { x: number; y: number }[], scale: Scale): string {
  let d = '';
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    d += `${d ? 'L' : 'M'}${scale.x(p.x).toFixed(1)},${scale.y(p.y).toFixed(1)}`;
  }
  return d;
}

/** A marker of one of a few shapes, centred on (cx, cy): attacks are told apart by shape. */
export function Marker({
  shape,
  cx,
  cy,
  r,
  fill,
  children,
}: {
  shape: number;
  cx: number;
  cy: number;
  r: number;
  fill: string;
  children?: ReactNode;
}) {
  const kind = shape % 4;
  const common = { fill, stroke: '#fff', strokeWidth: 1, className: 'scatter-point', 'data-testid': 'scatter-point' };
  if (kind === 0)
    return (
      <circle cx={cx} cy={cy} r={r} {...common}>
        {children}
      </circle>
    );
  if (kind === 1)
    return (
      <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} {...common}>
        {children}
      </rect>
    );
  const pts =
    kind === 2
      ? [
          [0, -1.2],
          [1.1, 0.8],
          [-1.1, 0.8],
        ]
      : [
          [0, -1.3],
          [1.3, 0],
          [0, 1.3],
          [-1.3, 0],
        ];
  return (
    <polygon points={pts.map(([x, y]) => `${cx + x * r},${cy + y * r}`).join(' ')} {...common}>
      {children}
    </polygon>
  );
}
