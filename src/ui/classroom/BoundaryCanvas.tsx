// One method's decision boundary on the 2-D projection (u = mean robust feature, v = mean non-robust
// feature): shaded by the predicted class, the boundary f = 0 in the method's colour, the test points
// on top (class +1 sky-blue circles, class -1 vermillion crosses: told apart by shape as well as colour).
// A boundary close to vertical uses the robust axis; close to horizontal, the non-robust one.
import { useEffect, useRef } from 'react';
import type { BoundaryGrid } from '../../core/toy/toyMetrics';

const SIZE = 180;
const POS = '#56B4E9';
const NEG = '#D55E00';

interface BoundaryCanvasProps {
  title: string;
  color: string;
  grid: BoundaryGrid;
  points: { u: Float64Array; v: Float64Array; y: Float64Array };
  /** What the canvas shows, for screen readers. */
  description: string;
}

export function BoundaryCanvas({ title, color, grid, points, description }: BoundaryCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { resolution: r, logits } = grid;
    const cell = SIZE / r;
    ctx.clearRect(0, 0, SIZE, SIZE);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        ctx.fillStyle = logits[i * r + j] > 0 ? 'rgba(86,180,233,0.22)' : 'rgba(213,94,0,0.16)';
        ctx.fillRect(j * cell, i * cell, cell + 0.5, cell + 0.5);
      }
    // The boundary: cells whose right or lower neighbour has the other sign.
    ctx.fillStyle = color;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        const s = logits[i * r + j] > 0;
        const right = j + 1 < r && logits[i * r + j + 1] > 0 !== s;
        const down = i + 1 < r && logits[(i + 1) * r + j] > 0 !== s;
        if (right || down) ctx.fillRect(j * cell, i * cell, cell + 0.5, cell + 0.5);
      }
    const px = (u: number) => ((u - grid.u[0]) / (grid.u[1] - grid.u[0])) * SIZE;
    const py = (v: number) => ((grid.v[1] - v) / (grid.v[1] - grid.v[0])) * SIZE;
    ctx.lineWidth = 1.2;
    for (let k = 0; k < points.y.length; k++) {
      const x = px(points.u[k]);
      const y = py(points.v[k]);
      if (points.y[k] > 0) {
        ctx.strokeStyle = POS;
        ctx.beginPath();
        ctx.arc(x, y, 2.2, 0, 2 * Math.PI);
        ctx.stroke();
      } else {
        ctx.strokeStyle = NEG;
        ctx.beginPath();
        ctx.moveTo(x - 2, y - 2);
        ctx.lineTo(x + 2, y + 2);
        ctx.moveTo(x + 2, y - 2);
        ctx.lineTo(x - 2, y + 2);
        ctx.stroke();
      }
    }
  }, [grid, points, color]);
  return (
    <figure className="chart" style={{ margin: 0 }}>
      {/* A swatch, not coloured text: SAM's orange and AT's green are too light to read as text on white. */}
      <figcaption>
        <span className="swatch" style={{ background: color }} aria-hidden />
        {title}
      </figcaption>
      <canvas
        ref={ref}
        width={SIZE}
        height={SIZE}
        role="img"
        aria-label={description}
        style={{ border: '1px solid #ccc', display: 'block' }}
      />
      <div style={{ fontSize: '0.75rem', color: '#555' }}>→ mean robust feature; ↑ mean non-robust feature</div>
    </figure>
  );
}
