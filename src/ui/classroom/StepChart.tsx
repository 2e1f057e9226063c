// One panel of a lesson step's key chart, in plain SVG at the size of its box (CSS decides it, so
// the chart fills what a projector screen leaves). Margins follow the labels' measured width in the
// font they are drawn in. Recorded lines are faded and thin, live ones full and on top.
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { niceTicks } from '../charts/svgChart';
import { widestText } from '../charts/textWidth';
import type { ChartPanel } from './stepChartData';

const formatters: Record<ChartPanel['xFormat'], (v: number) => string> = {
  percent: (v) => `${Math.round(v * 100)}%`,
  number: (v) => String(Number(v.toPrecision(3))),
  eps: (v) => String(Number((v * 255).toPrecision(3))),
};

interface Box {
  w: number;
  h: number;
  /** The width of the widest y tick label and of the last x tick label, and the font size, in px. */
  yText: number;
  xLast: number;
  font: number;
}

/** `size` fixes the chart's size in px (the printed handout, whose boxes are not laid out on screen); else it fills its box. */
export function StepChart({ panel, size }: { panel: ChartPanel; size?: { w: number; h: number } }) {
  const ref = useRef<HTMLDivElement>(null);
  const clipId = `step-chart-clip-${useId().replace(/[^\w-]/g, '')}`;
  const [box, setBox] = useState<Box>({ w: 0, h: 0, yText: 0, xLast: 0, font: 14 });
  const xf = formatters[panel.xFormat];
  const yf = formatters[panel.yFormat];
  const xt = niceTicks(panel.xDomain[0], panel.xDomain[1], 6);
  const yt = niceTicks(panel.yDomain[0], panel.yDomain[1], 5);
  const yLabels = yt.map(yf).join('\n');
  const xLastLabel = xf(xt[xt.length - 1] ?? 0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const font = parseFloat(getComputedStyle(el).fontSize) || 14;
      const next = {
        w: size?.w ?? el.clientWidth,
        h: size?.h ?? el.clientHeight,
        yText: widestText(yLabels.split('\n'), el),
        xLast: widestText([xLastLabel], el),
        font,
      };
      setBox((b) =>
        b.w === next.w && b.h === next.h && b.yText === next.yText && b.xLast === next.xLast && b.font === next.font
          ? b
          : next,
      );
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    // The type size changes with presentation mode, a class on the root element.
    const mo = new MutationObserver(measure);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => {
      ro.disconnect();
      mo.disconnect();
    };
  }, [yLabels, xLastLabel, size?.w, size?.h]);

  const { w, h, font } = box;
  const gap = font * 0.4;
  const m = {
    top: font * 0.7,
    right: Math.max(font * 0.5, box.xLast / 2 + 4),
    bottom: font * 2.8,
    left: font * 1.4 + gap * 2 + box.yText,
  };
  const pw = Math.max(1, w - m.left - m.right);
  const ph = Math.max(1, h - m.top - m.bottom);
  const [x0, x1] = panel.xDomain;
  const [y0, y1] = panel.yDomain;
  const sx = (v: number) => m.left + ((v - x0) / (x1 - x0 || 1)) * pw;
  const sy = (v: number) => m.top + ph - ((Math.min(y1, Math.max(y0, v)) - y0) / (y1 - y0 || 1)) * ph;
  const path = (pts: { x: number; y: number }[]) =>
    pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
  const recorded = panel.lines.filter((l) => l.recorded).length + panel.dots.filter((d) => d.recorded).length;
  const live = panel.lines.length + panel.dots.length - recorded;

  return (
    <figure className="chart step-chart" data-panel={panel.id} data-recorded={recorded} data-live={live}>
      <figcaption>{panel.title}</figcaption>
      <div className="step-chart-box" ref={ref}>
        {w > 0 && h > 0 && (
          <svg
            width={w}
            height={h}
            role="img"
            aria-label={`${panel.title}: ${recorded > 0 ? 'recorded' : 'no recorded'} curves${live > 0 ? ', live curves over them' : ''}`}
          >
            <g className="grid">
              {yt.map((v) => (
                <line key={`y${v}`} x1={m.left} x2={m.left + pw} y1={sy(v)} y2={sy(v)} />
              ))}
            </g>
            <g className="axis">
              <line x1={m.left} x2={m.left + pw} y1={m.top + ph} y2={m.top + ph} />
              <line x1={m.left} x2={m.left} y1={m.top} y2={m.top + ph} />
              {yt.map((v) => (
                <text key={`y${v}`} x={m.left - gap} y={sy(v)} textAnchor="end" dominantBaseline="middle">
                  {yf(v)}
                </text>
              ))}
              {xt.map((v) => (
                <text key={`x${v}`} x={sx(v)} y={m.top + ph + gap} textAnchor="middle" dominantBaseline="hanging">
                  {xf(v)}
                </text>
              ))}
              <text x={m.left + pw / 2} y={h - gap / 2} textAnchor="middle" className="axis-label">
                {panel.xLabel}
              </text>
              <text
                x={0}
                y={0}
                textAnchor="middle"
                dominantBaseline="hanging"
                transform={`translate(${gap / 2} ${m.top + ph / 2}) rotate(-90)`}
                className="axis-label"
              >
                {panel.yLabel}
              </text>
            </g>
            {recorded + live === 0 && (
              <text x={m.left + pw / 2} y={m.top + ph / 2} textAnchor="middle" className="empty-note">
                {panel.empty}
              </text>
            )}
            {/* A path that leaves the fitted axes (the trade-off's early evaluations) is cut at the plot's edge. */}
            <clipPath id={clipId}>
              <rect x={m.left} y={m.top - 8} width={pw + 8} height={ph + 16} />
            </clipPath>
            <g className="plot" clipPath={`url(#${clipId})`}>
              {panel.lines.map((l) => (
                <g
                  key={l.key}
                  className={l.recorded ? 'recorded' : 'live'}
                  data-series={l.recorded ? 'recorded' : 'live'}
                  stroke={l.color}
                  fill={l.color}
                >
                  <path d={path(l.points)} fill="none" strokeDasharray={l.dash}>
                    <title>{`${l.recorded ? 'recorded' : 'live'}: ${l.name}`}</title>
                  </path>
                  {panel.dots.length === 0 &&
                    l.points.map((p, i) => (
                      <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={l.recorded ? 2.5 : 3.5} stroke="none" />
                    ))}
                </g>
              ))}
              {panel.dots.map((d) => (
                <g
                  key={d.key}
                  className={d.recorded ? 'recorded' : 'live'}
                  data-series={d.recorded ? 'recorded' : 'live'}
                >
                  <circle
                    cx={sx(d.x)}
                    cy={sy(d.y)}
                    r={d.recorded ? 6 : 8}
                    fill={d.color}
                    stroke="#fff"
                    strokeWidth={1.5}
                  >
                    <title>{`${d.recorded ? 'recorded' : 'live'}: ${d.name}, clean ${formatters.percent(d.x)}, robust ${formatters.percent(d.y)}`}</title>
                  </circle>
                </g>
              ))}
            </g>
          </svg>
        )}
      </div>
    </figure>
  );
}
