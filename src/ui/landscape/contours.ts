// Contour lines of a sampled 2-D field by marching squares: each cell of four neighbouring
// samples is classified by which corners lie at or above the level, and the level's crossing on
// each cell edge is placed by linear interpolation between the two corner values. Ambiguous
// saddle cells (opposite corners alike) are resolved by the mean of the four corners.
// Coordinates are sample indices: grid[i][j] sits at (x = i, y = j).

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

type Point = [number, number];

/** Where the level crosses from value a at p to value b at q. */
function cross(p: Point, q: Point, a: number, b: number, level: number): Point {
  const t = (level - a) / (b - a);
  return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
}

/** Segments of the level set grid = level; cells with a non-finite corner, and rows not yet filled, are skipped. */
export function marchingSquares(grid: number[][], level: number): Segment[] {
  const out: Segment[] = [];
  const seg = (a: Point, b: Point) => out.push({ x1: a[0], y1: a[1], x2: b[0], y2: b[1] });
  for (let i = 0; i + 1 < grid.length; i++) {
    const cols = Math.min(grid[i].length, grid[i + 1].length);
    for (let j = 0; j + 1 < cols; j++) {
      // Corners counter-clockwise from (i, j); edge k joins corner k to corner k + 1.
      const corners: Point[] = [
        [i, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i, j + 1],
      ];
      const v = corners.map(([x, y]) => grid[x][y]);
      if (!v.every(Number.isFinite)) continue;
      const above = v.map((x) => x >= level);
      const hits: Point[] = [];
      for (let k = 0; k < 4; k++) {
        const n = (k + 1) % 4;
        if (above[k] !== above[n]) hits.push(cross(corners[k], corners[n], v[k], v[n], level));
      }
      if (hits.length === 2) seg(hits[0], hits[1]);
      else if (hits.length === 4) {
        // Saddle: hits are on edges 0 (c0-c1), 1 (c1-c2), 2 (c2-c3), 3 (c3-c0).
        const centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 >= level;
        if (centreAbove === above[0]) {
          // c0 and c2 connect through the centre: cut off c1 and c3.
          seg(hits[0], hits[1]);
          seg(hits[2], hits[3]);
        } else {
          seg(hits[3], hits[0]);
          seg(hits[1], hits[2]);
        }
      }
    }
  }
  return out;
}

/** `count` levels evenly inside (lo, hi), excluding the ends. */
export function contourLevels(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [];
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * (k + 1)) / (count + 1));
}
