// The legend of the shared colour scale: the ramp with loss values at its ends and quarters.
import { rampColor, unscaleValue, type SharedScale } from './colorScale';

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 0.01 ? v.toPrecision(2) : v.toExponential(1));

export function ColorLegend({
  scale,
  label = 'loss',
  width = 240,
}: {
  scale: SharedScale;
  label?: string;
  width?: number;
}) {
  const stops = Array.from({ length: 11 }, (_, k) => {
    const [r, g, b] = rampColor(k / 10);
    return `rgb(${r},${g},${b}) ${k * 10}%`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => ({
    t,
    v: unscaleValue(scale.kind, scale.lo + t * (scale.hi - scale.lo)),
  }));
  return (
    <div
      className="color-legend"
      data-testid="color-legend"
      style={{ width, fontSize: 11 }}
      aria-label={`${label} colour scale${scale.kind === 'log' ? ' (log)' : ''}`}
    >
      <div style={{ height: 10, background: `linear-gradient(to right, ${stops.join(', ')})` }} />
      <div style={{ position: 'relative', height: 14 }}>
        {ticks.map(({ t, v }) => (
          <span
            key={t}
            style={{
              position: 'absolute',
              left: `${t * 100}%`,
              transform: `translateX(${t === 0 ? 0 : t === 1 ? -100 : -50}%)`,
            }}
          >
            {fmt(v)}
          </span>
        ))}
      </div>
      <div>
        {label}
        {scale.kind === 'log' ? ' (log scale)' : ''}
      </div>
    </div>
  );
}
