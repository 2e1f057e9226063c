// Axis range for accuracies fitted to the data: the default preset's points sit at 90-97 % clean,
// which on a 0-100 % axis is a sliver at the edge. The range gets a margin, ends on round ticks
// (the steps niceTicks picks) and stays within [0, 1].

/** Narrowest range shown (5 points): equal values or noise are not blown up to the full width. */
const MIN_SPAN = 0.05;
/** Margin on each side, as a share of the data's span (at least MIN_SPAN wide in all). */
const MARGIN = 0.15;

/** The round step (1, 2 or 5 times a power of ten) that niceTicks uses for `span` in about `count` ticks. */
export function niceStep(span: number, count: number): number {
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
}

/** [lo, hi] covering `values` (fractions in [0, 1]) with a margin, on multiples of a nice step; [0, 1] without values. */
export function fitDomain(values: number[], ticks = 5): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const pad = Math.max(MARGIN * (max - min), (MIN_SPAN - (max - min)) / 2, 0);
  let lo = min - pad;
  let hi = max + pad;
  // Keep the width when a side meets 0 or 1, so a point at 100 % still has room beside it.
  if (lo < 0) [lo, hi] = [0, hi - lo];
  if (hi > 1) [lo, hi] = [Math.max(0, lo - (hi - 1)), 1];
  const step = niceStep(hi - lo, ticks);
  const round = (v: number) => Number(v.toPrecision(12));
  return [
    round(Math.max(0, Math.floor(lo / step + 1e-9) * step)),
    round(Math.min(1, Math.ceil(hi / step - 1e-9) * step)),
  ];
}
