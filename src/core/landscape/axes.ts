// Sample points of the slice axes.

/** Most points on one axis: a 51 x 51 grid is already 2,601 batch evaluations. */
export const MAX_AXIS_POINTS = 51;

/** `n` evenly spaced values from lo to hi inclusive; the middle one is exactly 0 when lo = -hi and n is odd. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 2 || n > MAX_AXIS_POINTS)
    throw new Error(`an axis needs 2 to ${MAX_AXIS_POINTS} points, got ${n}`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo))
    throw new Error(`an axis needs finite lo < hi, got ${lo}, ${hi}`);
  // The centre of a symmetric axis is set to 0 exactly: the slice's centre is then the unperturbed point.
  return Array.from({ length: n }, (_, i) =>
    i === n - 1 ? hi : lo === -hi && 2 * i === n - 1 ? 0 : lo + ((hi - lo) * i) / (n - 1),
  );
}
