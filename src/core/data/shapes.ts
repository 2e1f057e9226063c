// The generated "shapes" set: 32x32 RGB images in [0, 1] of one coloured shape or textured patch
// on a noisy background, 8 classes. Position, size, colours, stripe angle and noise are random,
// so a small CNN must find the form (filled vs hollow, round vs square, texture) to learn it; it
// does so to high accuracy in a few epochs, yet small L-inf perturbations (8/255) still flip
// an undefended model. 32x32 (not 16x16) so hollow shapes keep 2-3 pixel walls and the same
// models as CIFAR-10 apply unchanged.
import type { Rng } from '../rng';
import type { Dataset } from './dataset';

export const SHAPES_SIDE = 32;
export const SHAPES_CLASSES = ['circle', 'ring', 'square', 'frame', 'triangle', 'cross', 'stripes', 'checker'] as const;
/**
 * Per-channel mean / std of the generated images. The drawing treats the channels alike, so one
 * value serves all three: measured 0.337-0.341 / 0.236-0.239 on 2 x 5,000 images (generated.test.ts checks them).
 */
export const SHAPES_MEAN = [0.34, 0.34, 0.34];
export const SHAPES_STD = [0.237, 0.237, 0.237];

const SQRT3 = Math.sqrt(3);

/** Signed distance in pixels (negative inside) of class k's outline, centred at 0 with radius s. */
function outline(k: number, dx: number, dy: number, s: number): number {
  const box = (a: number, b: number): number => Math.max(Math.abs(dx) - a, Math.abs(dy) - b);
  switch (SHAPES_CLASSES[k]) {
    case 'circle':
      return Math.sqrt(dx * dx + dy * dy) - s;
    case 'ring':
      return Math.abs(Math.sqrt(dx * dx + dy * dy) - 0.72 * s) - 0.28 * s;
    case 'square':
    case 'stripes':
    case 'checker':
      return box(0.85 * s, 0.85 * s);
    case 'frame':
      return Math.abs(Math.max(Math.abs(dx), Math.abs(dy)) - 0.68 * s) - 0.22 * s;
    case 'triangle': {
      // Equilateral, pointing up, half-side r: exact distance (fold onto one edge, then to the segment).
      const r = 0.95 * s;
      let x = Math.abs(dx) - r;
      let y = -dy + r / SQRT3;
      if (x + SQRT3 * y > 0) [x, y] = [(x - SQRT3 * y) / 2, (-SQRT3 * x - y) / 2];
      x -= Math.min(0, Math.max(-2 * r, x));
      return -Math.hypot(x, y) * Math.sign(y);
    }
    case 'cross':
      return Math.min(box(s, 0.3 * s), box(0.3 * s, s));
    default:
      throw new Error(`shapes: no class ${k}`);
  }
}

/** Texture inside the patch classes: 1 where the foreground shows, 0 where the background does. */
function texture(k: number, dx: number, dy: number, angle: number, period: number): number {
  const name = SHAPES_CLASSES[k];
  if (name === 'stripes') {
    const u = dx * Math.cos(angle) + dy * Math.sin(angle);
    return Math.min(1, Math.max(0, 0.5 + 1.5 * Math.sin((2 * Math.PI * u) / period)));
  }
  if (name === 'checker') {
    const v = Math.sin((Math.PI * dx) / (period / 2)) * Math.sin((Math.PI * dy) / (period / 2));
    return Math.min(1, Math.max(0, 0.5 + 3 * v));
  }
  return 1;
}

function randomColour(rng: Rng, lo: number): number[] {
  return [lo + 0.5 * rng.uniform(), lo + 0.5 * rng.uniform(), lo + 0.5 * rng.uniform()];
}

/** One image of class k into out (HWC, SHAPES_SIDE^2 * 3 floats). */
function drawShape(k: number, rng: Rng, out: Float32Array): void {
  const side = SHAPES_SIDE;
  const s = side * (0.2 + 0.16 * rng.uniform());
  const cx = s + (side - 2 * s) * rng.uniform();
  const cy = s + (side - 2 * s) * rng.uniform();
  // A light shape on a dark background, hues at random: the form, not a colour, tells the class,
  // and a constant sign of contrast lets a small CNN learn it in a few epochs.
  const bg = randomColour(rng, 0);
  let fg = randomColour(rng, 0.5);
  while (Math.hypot(fg[0] - bg[0], fg[1] - bg[1], fg[2] - bg[2]) < 0.45) fg = randomColour(rng, 0.5);
  const gradient = [rng.normal() * 0.004, rng.normal() * 0.004];
  const noise = 0.02 + 0.03 * rng.uniform();
  const angle = Math.PI * rng.uniform();
  const period = 3 + 2 * rng.uniform();
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const dx = px + 0.5 - cx;
      const dy = py + 0.5 - cy;
      // Coverage with one pixel of anti-aliasing across the outline.
      const cover = Math.min(1, Math.max(0, 0.5 - outline(k, dx, dy, s))) * texture(k, dx, dy, angle, period);
      const shade = gradient[0] * (px - side / 2) + gradient[1] * (py - side / 2);
      for (let c = 0; c < 3; c++) {
        const v = bg[c] + shade + cover * (fg[c] - bg[c]) + noise * rng.normal();
        out[(py * side + px) * 3 + c] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
}

/** n images, classes exactly balanced in a seeded order, everything drawn from rng. */
export function shapesSet(n: number, rng: Rng): Dataset {
  const size = SHAPES_SIDE * SHAPES_SIDE * 3;
  const k = SHAPES_CLASSES.length;
  const x = new Float32Array(n * size);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = i % k;
  rng.shuffle(y);
  for (let i = 0; i < n; i++) drawShape(y[i], rng, x.subarray(i * size, (i + 1) * size));
  return {
    name: 'shapes',
    shape: [SHAPES_SIDE, SHAPES_SIDE, 3],
    numClasses: k,
    classNames: [...SHAPES_CLASSES],
    x,
    y,
    n,
    bounded: true,
    mean: [...SHAPES_MEAN],
    std: [...SHAPES_STD],
  };
}
