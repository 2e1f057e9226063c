// The backend's attainable FLOP/s: one large matmul and one conv per model width, timed in the same
// backend and thread count as the training steps, so that a step's GFLOP/s can be read as a share
// of what the kernels themselves reach (issue 17, "Distance to the limit"). PyTorch times the same
// shapes (bench/pytorch_attainable.py).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { median, round } from './measure';

/** A conv like the models' widest: stride 1, same padding, square input and kernel (NHWC). */
export interface ConvShape {
  batch: number;
  size: number;
  cIn: number;
  cOut: number;
  k: number;
}

export interface AttainablePlan {
  /** Side of the square matmul (M = N = K). */
  matmul: number;
  convs: ConvShape[];
  /** Timed repetitions after one warm-up: at most this many ... */
  reps: number;
  /** ... and no more once this much time has gone on one op, but at least two. */
  budgetMs: number;
}

export interface OpRate {
  /** 'matmul 1024' or convLabel(). */
  op: string;
  flops: number;
  medianMs: number;
  gflops: number;
  reps: number;
}

export interface AttainableResult {
  /** Threads of the backend's kernels: wasm's XNNPACK pool, 1 for cpu; absent on WebGL/WebGPU. */
  threads?: number;
  matmul: OpRate;
  convs: (OpRate & { shape: ConvShape })[];
}

export const matmulFlops = (m: number, n: number, k: number) => 2 * m * n * k;

/** Multiply-adds of a same-padded, stride-1 conv, two FLOPs each. */
export const convFlops = (c: ConvShape) => 2 * c.batch * c.size * c.size * c.cIn * c.cOut * c.k * c.k;

export const convLabel = (c: ConvShape) => `conv b${c.batch} ${c.size}x${c.size} ${c.cIn}->${c.cOut} ${c.k}x${c.k}`;

/** Median wall time of `run` after one warm-up (shader compilation, XNNPACK set-up). */
async function rate(op: string, flops: number, run: () => tf.Tensor, plan: AttainablePlan): Promise<OpRate> {
  const once = async () => {
    const t = performance.now();
    // Reading back one sum waits for the kernel without timing a copy of its whole output (16 MiB
    // for the conv); the sum's own work is a thousandth of the op's.
    const s = tf.tidy(() => tf.sum(run()));
    await s.data();
    s.dispose();
    return performance.now() - t;
  };
  await once();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < plan.reps && (times.length < 2 || performance.now() - t0 < plan.budgetMs))
    times.push(await once());
  const ms = median(times);
  // Three significant digits: SwiftShader's figures are hundredths of the wasm ones.
  return { op, flops, medianMs: round(ms, 3), gflops: Number((flops / ms / 1e6).toPrecision(3)), reps: times.length };
}

function threads(): number | undefined {
  const b = tf.getBackend();
  return b === 'wasm' ? getThreadsCount() : b === 'cpu' ? 1 : undefined;
}

export async function measureAttainable(plan: AttainablePlan): Promise<AttainableResult> {
  const n = plan.matmul;
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  try {
    const out: AttainableResult = {
      matmul: await rate(`matmul ${n}`, matmulFlops(n, n, n), () => tf.matMul(a, b), plan),
      convs: [],
    };
    const t = threads();
    if (t !== undefined) out.threads = t;
    for (const c of plan.convs) {
      const x = tf.randomUniform([c.batch, c.size, c.size, c.cIn], -1, 1, 'float32', 3);
      const w = tf.randomUniform([c.k, c.k, c.cIn, c.cOut], -1, 1, 'float32', 4);
      try {
        const r = await rate(
          convLabel(c),
          convFlops(c),
          () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
          plan,
        );
        out.convs.push({ ...r, shape: c });
      } finally {
        tf.dispose([x, w]);
      }
    }
    return out;
  } finally {
    tf.dispose([a, b]);
  }
}
