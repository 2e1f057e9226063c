// The conv gradient by its definition, in float64 loops over plain arrays: the reference the
// lab's conv gradients (conv.ts) are checked against, in unit tests on cpu and by the benchmark
// on every backend. NHWC, weights [kh, kw, cIn, cOut], stride s, p zeros on each side:
//   dX[n, h, w, ci]   = sum over (i, j, a, b) with s i + a - p = h, s j + b - p = w of dy[n, i, j, co] w[a, b, ci, co]
//   dW[a, b, ci, co]  = sum_{n,i,j} x[n, s i + a - p, s j + b - p, ci] dy[n, i, j, co]   (zero outside x)

export interface ConvGradReference {
  dx: Float64Array;
  dw: Float64Array;
}

export function convGradReference(
  x: ArrayLike<number>,
  xShape: readonly number[],
  w: ArrayLike<number>,
  wShape: readonly number[],
  dy: ArrayLike<number>,
  stride: number,
  pad: number,
): ConvGradReference {
  const [n, h, wd, cIn] = xShape;
  const [kh, kw, , cOut] = wShape;
  const ho = Math.floor((h + 2 * pad - kh) / stride) + 1;
  const wo = Math.floor((wd + 2 * pad - kw) / stride) + 1;
  if (dy.length !== n * ho * wo * cOut) throw new Error(`dy has ${dy.length} values, expected ${n * ho * wo * cOut}`);
  const dx = new Float64Array(n * h * wd * cIn);
  const dw = new Float64Array(kh * kw * cIn * cOut);
  for (let m = 0; m < n; m++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        for (let a = 0; a < kh; a++) {
          const row = stride * i + a - pad;
          if (row < 0 || row >= h) continue;
          for (let b = 0; b < kw; b++) {
            const col = stride * j + b - pad;
            if (col < 0 || col >= wd) continue;
            const xBase = ((m * h + row) * wd + col) * cIn;
            const wBase = (a * kw + b) * cIn;
            const dyBase = ((m * ho + i) * wo + j) * cOut;
            for (let ci = 0; ci < cIn; ci++) {
              for (let co = 0; co < cOut; co++) {
                const g = dy[dyBase + co];
                dx[xBase + ci] += g * w[(wBase + ci) * cOut + co];
                dw[(wBase + ci) * cOut + co] += x[xBase + ci] * g;
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw };
}

/** max |a - b| / max |b|: a float32 result against a float64 reference. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale > 0 ? err / scale : err;
}
