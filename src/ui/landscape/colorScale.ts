// One colour scale shared by all heatmaps of a figure, so equal colours mean equal losses across
// runs. Loss surfaces span orders of magnitude (near zero at the minimum, large at the edges), so
// the default maps log10(loss); colours follow the viridis ramp (perceptually uniform, readable in
// grey and under colour-vision deficiencies), interpolated between nine of its stops.

export type ScaleKind = 'log' | 'linear';

const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'].map(
  (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)],
);

/** Losses at or below this are drawn as this (log of 0 is not drawable). */
const LOG_FLOOR = 1e-6;

/** The value a scale works in: log10 of the loss, or the loss. */
export function scaleValue(kind: ScaleKind, v: number): number {
  return kind === 'log' ? Math.log10(Math.max(v, LOG_FLOOR)) : v;
}

/** The inverse of scaleValue, for legend labels. */
export function unscaleValue(kind: ScaleKind, s: number): number {
  return kind === 'log' ? 10 ** s : s;
}

export interface SharedScale {
  kind: ScaleKind;
  /** Domain in scale units (after scaleValue). */
  lo: number;
  hi: number;
}

/** The scale spanning every finite value of every grid. */
export function sharedScale(grids: number[][][], kind: ScaleKind): SharedScale {
  let lo = Infinity;
  let hi = -Infinity;
  for (const g of grids)
    for (const row of g)
      for (const v of row) {
        if (!Number.isFinite(v)) continue;
        const s = scaleValue(kind, v);
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
      }
  if (lo === Infinity) return { kind, lo: 0, hi: 1 };
  // A flat surface still needs a non-empty domain.
  return hi > lo ? { kind, lo, hi } : { kind, lo: lo - 0.5, hi: hi + 0.5 };
}

/** t in [0, 1] to an [r, g, b] of the ramp. */
export function rampColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - k;
  const [a, b] = [VIRIDIS[k], VIRIDIS[k + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + f * (b[c] - a[c]))) as [number, number, number];
}

/** The CSS colour of a loss value; non-finite values are grey. */
export function colorOf(scale: SharedScale, v: number): string {
  if (!Number.isFinite(v)) return '#999';
  const [r, g, b] = rampColor((scaleValue(scale.kind, v) - scale.lo) / (scale.hi - scale.lo));
  return `rgb(${r},${g},${b})`;
}
