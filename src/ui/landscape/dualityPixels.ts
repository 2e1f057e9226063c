// Pixels of the duality grid: the images as they are, and each perturbation (pixel units) as its
// mean over the colour channels on a diverging blue-white-red map, one symmetric scale per row so
// that equal colours mean equal shifts across the columns.
import type { DualityResult } from '../../core/landscape/results';

/** Stops of a diverging map (ColorBrewer RdBu, reversed: blue negative, red positive). */
const STOPS = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'].map(
  (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)],
);

/** RGB of t in [-1, 1] (clamped). */
export function diverging(t: number): [number, number, number] {
  const u = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as [number, number, number];
}

const pixelsOf = (shape: number[]) => shape[0] * shape[1];

/** The channel mean of image `index` of `values` ([images, h, w, c] flattened), one value per pixel. */
export function channelMean(values: ArrayLike<number>, shape: number[], index: number): Float32Array {
  const [, , c] = shape;
  const n = pixelsOf(shape);
  const out = new Float32Array(n);
  const base = index * n * c;
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += values[base + p * c + k];
    out[p] = s / c;
  }
  return out;
}

/** Largest |value| of the maps (0 when all are 0). */
export function symmetricScale(maps: Float32Array[]): number {
  let m = 0;
  for (const a of maps) for (const v of a) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** The diverging map at LEVELS + 1 steps over [-1, 1] (0 on the middle one), looked up per pixel. */
const LEVELS = 512;
const TABLE = (() => {
  const t = new Uint8ClampedArray((LEVELS + 1) * 3);
  for (let i = 0; i <= LEVELS; i++) t.set(diverging((2 * i) / LEVELS - 1), 3 * i);
  return t;
})();

/**
 * RGBA of a map on the diverging scale [-scale, scale] (all white when scale is 0; a non-finite
 * value white too). A table lookup, no allocation per pixel: a grid of twelve maps is drawn again
 * at every evaluation.
 */
export function mapRgba(map: Float32Array, scale: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(map.length * 4);
  for (let p = 0; p < map.length; p++) {
    const t = scale > 0 ? map[p] / scale : 0;
    const i = 3 * Math.round(((Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0) + 1) * (LEVELS / 2));
    out[4 * p] = TABLE[i];
    out[4 * p + 1] = TABLE[i + 1];
    out[4 * p + 2] = TABLE[i + 2];
    out[4 * p + 3] = 255;
  }
  return out;
}

/** RGBA of image `index` of `x` (pixels in [0, 1]; one channel drawn grey). */
export function imageRgba(x: ArrayLike<number>, shape: number[], index: number): Uint8ClampedArray<ArrayBuffer> {
  const [, , c] = shape;
  const n = pixelsOf(shape);
  const out = new Uint8ClampedArray(n * 4);
  const base = index * n * c;
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < 3; k++) out[4 * p + k] = Math.round(255 * x[base + p * c + (c >= 3 ? k : 0)]);
    out[4 * p + 3] = 255;
  }
  return out;
}

/** cos(a, b) of image `index` of two flattened arrays of the same shape (0 when either is 0). */
export function imageCosine(a: ArrayLike<number>, b: ArrayLike<number>, perImage: number, index: number): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let j = index * perImage; j < (index + 1) * perImage; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** One row of the grid: the image, and the three perturbation maps with their shared scale. */
export interface DualityRow {
  image: Uint8ClampedArray<ArrayBuffer>;
  maps: { d: Float32Array; delta: Float32Array; atDelta?: Float32Array };
  scale: number;
}

/** The rows of SAM's result, with the AT model's delta beside them when there is one of the same images. */
export function dualityRows(sam: DualityResult, at?: DualityResult): DualityRow[] {
  return sam.images.map((_, i) => {
    const d = channelMean(sam.d, sam.shape, i);
    const delta = channelMean(sam.delta, sam.shape, i);
    const atDelta = at && at.images.length > i ? channelMean(at.delta, at.shape, i) : undefined;
    return {
      image: imageRgba(sam.x, sam.shape, i),
      maps: { d, delta, atDelta },
      scale: symmetricScale(atDelta ? [d, delta, atDelta] : [d, delta]),
    };
  });
}

/** What the grid draws of each row: the image, then each perturbation map's pixels (d, delta, AT's delta). */
export function dualityPixelRows(
  sam: DualityResult,
  at?: DualityResult,
): { image: Uint8ClampedArray<ArrayBuffer>; maps: Uint8ClampedArray<ArrayBuffer>[] }[] {
  return dualityRows(sam, at).map((row) => ({
    image: row.image,
    maps: [row.maps.d, row.maps.delta, ...(row.maps.atDelta ? [row.maps.atDelta] : [])].map((m) =>
      mapRgba(m, row.scale),
    ),
  }));
}
