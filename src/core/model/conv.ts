// 2-D convolution (NHWC, weights [kh, kw, cIn, cOut], symmetric zero padding like PyTorch) with a
// hand-written gradient that uses only kernels every backend has: tfjs-backend-wasm has no
// Conv2DBackpropFilter, so tfjs's own conv gradient throws there.
//
//   dX = conv2dTranspose(dy, w)                      (Conv2DBackpropInput: on every backend)
//   dW[a, b, ci, co] = sum_{n,i,j} xpad[n, s i + a, s j + b, ci] * dy[n, i, j, co]
//
// dW is a forward convolution with the batch as the contracted channel axis: take xpad as an
// image batch of cIn images [cIn, Hp, Wp, N] and dy as a filter [Ho, Wo, N, cOut] dilated by the
// stride s; a stride-1 'valid' conv gives out[ci, a, b, co] = sum_{i,j,n} xpad^T[ci, a + s i,
// b + s j, n] dy^T[i, j, n, co] = dW[a, b, ci, co], of spatial size Hp - s (Ho - 1) >= kh (one
// more than kh when stride 2 leaves the last padded row unused), cropped to kh x kw.
import * as tf from '@tensorflow/tfjs';

type Conv = (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

const convs = new Map<string, Conv>();

/**
 * How the conv's gradient is computed: 'forward-conv' (the hand-written gradient above, on every
 * backend) or 'native' (tfjs's own Conv2DBackpropFilter; wasm has none). tfjs's own gradient is
 * also lazy: a PGD step, which needs only dX, then skips dW, whereas a custom gradient computes
 * both. The edge that starts the backend chooses (bench/README.md has the measurements).
 */
export type ConvGradient = 'forward-conv' | 'native';

let gradient: ConvGradient = 'forward-conv';

export function setConvGradient(mode: ConvGradient): void {
  gradient = mode;
}

export function convGradient(): ConvGradient {
  return gradient;
}

/** Conv with stride `stride` and `pad` zeros on each side; output size floor((H + 2 pad - kh) / stride) + 1. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number): tf.Tensor4D {
  if (gradient === 'native') return tf.conv2d(x, w, stride, pad);
  const key = `${stride}/${pad}`;
  let conv = convs.get(key);
  if (!conv) {
    conv = makeConv(stride, pad);
    convs.set(key, conv);
  }
  return conv(x, w);
}

function makeConv(stride: number, pad: number): Conv {
  const f = tf.customGrad<tf.Tensor4D>((...args) => {
    const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.conv2d(x, w, stride, pad),
      gradFunc: (dy, saved) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        return [tf.conv2dTranspose(dy, ws, xs.shape, stride, pad), filterGrad(xs, dy, ws.shape, stride, pad)];
      },
    };
  });
  return (x, w) => f(x, w);
}

/** dW by a forward convolution, as derived above. */
export function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, wShape: [number, number, number, number], stride: number, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = wShape;
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [cIn, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, cOut]
    const padding: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
    let g = tf.conv2d(xT, dyT, 1, pad > 0 ? padding : 'valid', 'NHWC', stride); // [cIn, >=kh, >=kw, cOut]
    if (g.shape[1] !== kh || g.shape[2] !== kw) g = tf.slice(g, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(g, [1, 2, 0, 3]);
  });
}
