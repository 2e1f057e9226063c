// 2-D convolution (NHWC, weights [kh, kw, cIn, cOut], symmetric zero padding like PyTorch) with
// the lab's own gradient for tfjs's Conv2D kernel. Why our own: tfjs-backend-wasm has no
// Conv2DBackpropFilter (training a conv throws there) and a slow, naive Conv2DBackpropInput, and
// the WebGL/WebGPU Conv2DBackpropFilter kernels are naive loops over the batch. The gradient is
// registered per kernel, like tfjs's own, so it stays lazy per input: a PGD step, which needs only
// dX, never computes dW, and a training step never computes dX of the input image.
//
// With xpad = x zero-padded by p, stride s, forward y[n, i, j, co] = sum_{a,b,ci} xpad[n, s i + a,
// s j + b, ci] w[a, b, ci, co]:
//
//   dW[a, b, ci, co] = sum_{n,i,j} xpad[n, s i + a, s j + b, ci] dy[n, i, j, co]
//     'im2col':       the kh*kw strided shifts of xpad side by side as a [N Ho Wo, kh kw cIn]
//                     matrix P; dW = P^T dy (one matmul: the fast kernel on every backend)
//     'forward-conv': a forward conv with the batch as the contracted channel: xpad^T [cIn, Hp,
//                     Wp, N] with dy^T [Ho, Wo, N, cOut] as a filter dilated by s, cropped to kh x kw
//     'native':       tfjs's Conv2DBackpropFilter (none on wasm)
//   dX = the full correlation of dy, dilated by s, with w rotated 180 degrees and cIn/cOut swapped:
//     'forward-conv': that correlation as a forward conv (pads kh-1-p before, whatever makes the
//                     output H after), which every backend runs with its fastest kernel
//     'transpose':    tfjs's Conv2DBackpropInput (conv2dTranspose)
import * as tf from '@tensorflow/tfjs';

export interface ConvGradientPlan {
  input: 'forward-conv' | 'transpose';
  filter: 'im2col' | 'forward-conv' | 'native';
}

/**
 * Per backend (bench/README.md, "Conv gradient", has the measurements). wasm: its Conv2D is
 * XNNPACK, its Conv2DBackpropInput a plain loop, and it has no Conv2DBackpropFilter. cpu: dW as a
 * forward conv makes a step 1.5x (Chromium) to 10x (Node) faster than its Conv2DBackpropFilter;
 * its Conv2DBackpropInput is as fast as a forward conv for dX. The GPU backends are chosen for a
 * GPU, from how tfjs writes their kernels, and not yet measured on one. WebGL: its Conv2D is
 * im2col + a packed matmul, so dW as a forward conv gets that matmul instead of
 * Conv2DBackpropFilter's serial loop per output. WebGPU: dW has few outputs (kh kw cIn x cOut) and
 * a huge sum (N Ho Wo); as a matmul it gets tfjs's split-K program, which spreads that sum over
 * many workgroups, where Conv2DBackpropFilter and a forward conv give each output one long loop.
 * SwiftShader (the only WebGL and WebGPU here: a GPU emulated on 2 CPU cores) prefers the serial
 * loops: tfjs's native dW was 20-25% faster there in the 2026-11-30 bench.
 */
const PLANS: Record<string, ConvGradientPlan> = {
  wasm: { input: 'forward-conv', filter: 'forward-conv' },
  cpu: { input: 'transpose', filter: 'forward-conv' },
  webgl: { input: 'transpose', filter: 'forward-conv' },
  webgpu: { input: 'transpose', filter: 'im2col' },
};
const FALLBACK: ConvGradientPlan = { input: 'transpose', filter: 'im2col' };

let forced: ConvGradientPlan | undefined;

/** Forces a plan on every backend (benchmarks and tests); undefined restores the per-backend choice. */
export function setConvGradientPlan(plan: ConvGradientPlan | undefined): void {
  forced = plan;
}

export const planLabel = (p: ConvGradientPlan) => `dX ${p.input} / dW ${p.filter}`;

export function convGradientPlan(backend = tf.getBackend()): ConvGradientPlan {
  return forced ?? PLANS[backend] ?? FALLBACK;
}

type FilterShape = [number, number, number, number];
/** dW of conv2d(x, w, stride, pad) from dy = dL/dy, given w's shape (the plan's `filter`). */
type FilterGrad = (x: tf.Tensor4D, dy: tf.Tensor4D, wShape: FilterShape, stride: number, pad: number) => tf.Tensor4D;
type Padding4 = [[number, number], [number, number], [number, number], [number, number]];
/** NHWC padding: zeros before and after along the height `h` and the width `w`, none on N and C. */
const hwPadding = (h: [number, number], w: [number, number]): Padding4 => [[0, 0], h, w, [0, 0]];

interface ConvGradAttrs {
  strides: number | [number, number];
  pad: number | 'valid' | 'same' | unknown;
  dilations: number | [number, number];
  dataFormat: string;
}

let tfjsGradient: tf.GradConfig | undefined;

function installGradient(): void {
  if (tfjsGradient) return;
  tfjsGradient = tf.getGradient(tf.Conv2D);
  tf.registerGradient({
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, w] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as ConvGradAttrs;
      const s = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      const d = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : (a.dilations ?? [1, 1]);
      const p = a.pad === 'valid' ? 0 : a.pad;
      if (s[0] !== s[1] || d[0] !== 1 || d[1] !== 1 || a.dataFormat !== 'NHWC' || typeof p !== 'number') {
        throw new Error(
          `conv gradient: the lab's convs are NHWC with square strides, no dilation and numeric padding (got ${JSON.stringify(attrs)})`,
        );
      }
      const plan = convGradientPlan();
      const native = () => tfjsGradient!.gradFunc(dy, saved, attrs) as Record<string, () => tf.Tensor>;
      return {
        x: () => (plan.input === 'transpose' ? native().x() : inputGradByConv(dy as tf.Tensor4D, w, x.shape, s[0], p)),
        filter: () =>
          plan.filter === 'native'
            ? native().filter()
            : (plan.filter === 'im2col' ? filterGradIm2col : filterGradByConv)(x, dy as tf.Tensor4D, w.shape, s[0], p),
      };
    },
  });
}

/** Conv with stride `stride` and `pad` zeros on each side; output size floor((H + 2 pad - kh) / stride) + 1. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number): tf.Tensor4D {
  installGradient();
  return tf.conv2d(x, w, stride, pad);
}

/** dW = P^T dy with P the kh*kw strided shifts of xpad side by side (im2col). */
export const filterGradIm2col: FilterGrad = (x, dy, wShape, stride, pad) =>
  tf.tidy(() => {
    const [kh, kw, cIn, cOut] = wShape;
    const [n, ho, wo] = dy.shape;
    const xp: tf.Tensor4D = pad > 0 ? tf.pad(x, hwPadding([pad, pad], [pad, pad])) : x;
    const shifts: tf.Tensor4D[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const span = [a + stride * (ho - 1) + 1, b + stride * (wo - 1) + 1];
        const whole = a === 0 && b === 0 && stride === 1 && span[0] === xp.shape[1] && span[1] === xp.shape[2];
        shifts.push(
          whole
            ? xp
            : (tf.stridedSlice(xp, [0, a, b, 0], [n, span[0], span[1], cIn], [1, stride, stride, 1]) as tf.Tensor4D),
        );
      }
    }
    const rows = n * ho * wo;
    const patches = tf.reshape(shifts.length === 1 ? shifts[0] : tf.concat(shifts, 3), [rows, kh * kw * cIn]);
    return tf.reshape(tf.matMul(patches, tf.reshape(dy, [rows, cOut]), true, false), wShape);
  });

/** dW by a forward convolution with the batch as the contracted channel axis. */
export const filterGradByConv: FilterGrad = (x, dy, wShape, stride, pad) =>
  tf.tidy(() => {
    const [kh, kw] = wShape;
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [cIn, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, cOut]
    const padding = pad > 0 ? hwPadding([pad, pad], [pad, pad]) : 'valid';
    let g = tf.conv2d(xT, dyT, 1, padding, 'NHWC', stride); // [cIn, >=kh, >=kw, cOut]
    // Stride 2 can leave the last padded row unused: one row more than kh, cropped.
    if (g.shape[1] !== kh || g.shape[2] !== kw) g = tf.slice(g, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(g, [1, 2, 0, 3]);
  });

/** dX as a forward conv of dy (dilated by the stride) with the rotated, channel-swapped kernel. */
export function inputGradByConv(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  xShape: number[],
  stride: number,
  pad: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = w.shape;
    const [, h, wd] = xShape;
    if (pad > kh - 1 || pad > kw - 1) throw new Error(`conv gradient: padding ${pad} exceeds kernel ${kh}x${kw} - 1`);
    const wRot = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]); // [kh, kw, cOut, cIn]
    let d = stride === 1 ? dy : dilate(dy, stride);
    // Padded length must be H + kh - 1 (so a 'valid' conv gives H): kh - 1 - p before, the rest
    // after. Rows past that are never read by any output (they are zeros or out of reach): cut.
    const before = [kh - 1 - pad, kw - 1 - pad];
    const after = [h + kh - 1 - before[0] - d.shape[1], wd + kw - 1 - before[1] - d.shape[2]];
    if (after[0] < 0 || after[1] < 0) {
      d = tf.slice(d, [0, 0, 0, 0], [-1, d.shape[1] + Math.min(0, after[0]), d.shape[2] + Math.min(0, after[1]), -1]);
    }
    const padding = hwPadding([before[0], Math.max(0, after[0])], [before[1], Math.max(0, after[1])]);
    return tf.conv2d(d, wRot, 1, padding);
  });
}

/**
 * Inserts stride - 1 zeros after every row and column of dy: [N, Ho s, Wo s, C]. Pads of rank 3
 * and 4 only: tfjs-webgl's packed pad fails to compile its shader for rank 5.
 */
function dilate(dy: tf.Tensor4D, stride: number): tf.Tensor4D {
  const [n, ho, wo, c] = dy.shape;
  const cols = tf.pad(tf.reshape(dy, [n * ho, wo, 1, c]), [
    [0, 0],
    [0, 0],
    [0, stride - 1],
    [0, 0],
  ]);
  const rows = tf.pad(tf.reshape(cols, [n * ho, 1, wo * stride * c]), [
    [0, 0],
    [0, stride - 1],
    [0, 0],
  ]);
  return tf.reshape(rows, [n, ho * stride, wo * stride, c]);
}
