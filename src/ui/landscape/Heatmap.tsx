// One 2-D slice drawn on a canvas: a cell per sample coloured on the shared scale, contour lines
// (marching squares) at the shared levels, a cross at the unperturbed point, the value under the
// pointer in the caption. Rows still being computed are left blank.
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { colorOf, scaleValue, type SharedScale } from './colorScale';
import { marchingSquares } from './contours';

export interface HeatmapProps {
  title: string;
  color: string;
  /** values[i][j] at (alphas[i], betas[j]); x is alpha, y is beta (up). */
  alphas: number[];
  betas: number[];
  values: number[][];
  scale: SharedScale;
  /** Contour levels in scale units. */
  levels: number[];
  xLabel: string;
  yLabel: string;
  size?: number;
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(2));

export function Heatmap({
  title,
  color,
  alphas,
  betas,
  values,
  scale,
  levels,
  xLabel,
  yLabel,
  size = 180,
}: HeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ i: number; j: number } | null>(null);
  const nx = alphas.length;
  const ny = betas.length;

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || nx === 0 || ny === 0) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(size * dpr);
    el.height = Math.round(size * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const cw = size / nx;
    const ch = size / ny;
    // Sample (i, j) is the centre of its cell; beta grows upwards.
    const px = (i: number) => (i + 0.5) * cw;
    const py = (j: number) => size - (j + 0.5) * ch;
    values.forEach((row, i) =>
      row.forEach((v, j) => {
        ctx.fillStyle = colorOf(scale, v);
        ctx.fillRect(i * cw, size - (j + 1) * ch, Math.ceil(cw), Math.ceil(ch));
      }),
    );
    const scaled = values.map((row) => row.map((v) => (Number.isFinite(v) ? scaleValue(scale.kind, v) : NaN)));
    ctx.strokeStyle = 'rgba(255,255,255,0.8)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const level of levels)
      for (const s of marchingSquares(scaled, level)) {
        ctx.moveTo(px(s.x1), py(s.y1));
        ctx.lineTo(px(s.x2), py(s.y2));
      }
    ctx.stroke();
    // The trained weights / clean inputs: the origin of both axes, where the axes hold it.
    const i0 = alphas.indexOf(0);
    const j0 = betas.indexOf(0);
    if (i0 >= 0 && j0 >= 0) {
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(px(i0) - 5, py(j0));
      ctx.lineTo(px(i0) + 5, py(j0));
      ctx.moveTo(px(i0), py(j0) - 5);
      ctx.lineTo(px(i0), py(j0) + 5);
      ctx.stroke();
    }
  }, [alphas, betas, values, scale, levels, size, nx, ny]);

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientX - box.left) / box.width) * nx);
    const j = Math.floor(((box.bottom - e.clientY) / box.height) * ny);
    setHover(i >= 0 && i < nx && j >= 0 && j < ny ? { i, j } : null);
  };
  const hovered = hover && values[hover.i]?.[hover.j];
  return (
    <figure className="heatmap" data-rows={values.length} style={{ margin: 0, width: size }}>
      <figcaption style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
        <span
          className="swatch"
          style={{ background: color, width: 10, height: 10, display: 'inline-block' }}
          aria-hidden
        />
        {title}
      </figcaption>
      <canvas
        ref={canvas}
        style={{ width: size, height: size, display: 'block', cursor: 'crosshair' }}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        role="img"
        aria-label={`${title}: ${xLabel} by ${yLabel}, ${values.length} of ${nx} rows`}
      />
      <div className="heatmap-readout" style={{ fontSize: 12, minHeight: '1.4em' }}>
        {hover && hovered !== undefined && hovered !== null
          ? `${xLabel} ${fmt(alphas[hover.i])}, ${yLabel} ${fmt(betas[hover.j])}: loss ${fmt(hovered)}`
          : `${xLabel} →, ${yLabel} ↑`}
      </div>
    </figure>
  );
}
