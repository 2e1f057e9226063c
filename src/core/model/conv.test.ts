import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { conv2d, convGradientPlan, setConvGradientPlan, type ConvGradientPlan } from './conv';

function randn(shape: number[], rng: Rng): tf.Tensor {
  return tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);
}

// (input [n, h, w, cIn], kernel, cOut, stride, pad): the models' 3x3 'same' convs and 1x1 shortcuts, odd and even sizes.
const CASES: [number[], number, number, number, number][] = [
  [[2, 6, 6, 3], 3, 4, 1, 1],
  [[2, 7, 5, 3], 3, 4, 1, 1],
  [[3, 8, 8, 2], 3, 5, 2, 1],
  [[2, 7, 7, 3], 3, 4, 2, 1],
  [[2, 6, 6, 3], 1, 4, 1, 0],
  [[2, 8, 8, 3], 1, 4, 2, 0],
  [[2, 7, 7, 3], 1, 4, 2, 0],
];

/** Value and gradients of sum(conv(x, w) * r) w.r.t. x and w, r a fixed random cotangent. */
function grads(x: tf.Tensor, w: tf.Tensor, r: tf.Tensor, stride: number, pad: number) {
  const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r));
  const { value, grads: g } = tf.valueAndGrads(f)([x, w]);
  return { value: value.dataSync()[0], dx: g[0].dataSync(), dw: g[1].dataSync() };
}

function maxRelErr(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

function caseTensors(c: (typeof CASES)[number], seed: number) {
  const [xShape, k, cOut, stride, pad] = c;
  const rng = new Rng(seed);
  const x = randn(xShape, rng);
  const w = randn([k, k, xShape[3], cOut], rng);
  const ho = Math.floor((xShape[1] + 2 * pad - k) / stride) + 1;
  const wo = Math.floor((xShape[2] + 2 * pad - k) / stride) + 1;
  const r = randn([xShape[0], ho, wo, cOut], rng);
  return { x, w, r, stride, pad };
}

const TFJS: ConvGradientPlan = { input: 'transpose', filter: 'native' };
const PLANS: ConvGradientPlan[] = [
  { input: 'forward-conv', filter: 'forward-conv' },
  { input: 'forward-conv', filter: 'im2col' },
  { input: 'transpose', filter: 'im2col' },
];
const name = (p: ConvGradientPlan) => `dX ${p.input}, dW ${p.filter}`;

describe("conv2d with the lab's conv gradient", () => {
  afterEach(() => setConvGradientPlan(undefined));
  afterAll(() => tf.disposeVariables());

  it('gives tfjs\'s conv2dTranspose and Conv2DBackpropFilter under the tfjs plan (the reference below)', async () => {
    await useBackend('cpu');
    setConvGradientPlan(TFJS);
    tf.tidy(() => {
      const { x, w, r, stride, pad } = caseTensors(CASES[2], 3);
      const ours = grads(x, w, r, stride, pad);
      const dx = tf.conv2dTranspose(r as tf.Tensor4D, w as tf.Tensor4D, x.shape as [number, number, number, number], stride, pad).dataSync();
      expect(maxRelErr(ours.dx, dx)).toBeLessThan(1e-6);
      // dW by its definition, summed in float64: sum_{n,i,j} xpad[n, s i + a, s j + b, ci] r[n, i, j, co].
      const [n, h, wd, cIn] = x.shape;
      const [kh, kw, , cOut] = w.shape;
      const [, ho, wo] = r.shape;
      const xv = x.dataSync();
      const rv = r.dataSync();
      const dw = new Float32Array(kh * kw * cIn * cOut);
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let ci = 0; ci < cIn; ci++) for (let co = 0; co < cOut; co++) {
        let sum = 0;
        for (let m = 0; m < n; m++) for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) {
          const row = stride * i + a - pad;
          const col = stride * j + b - pad;
          if (row < 0 || col < 0 || row >= h || col >= wd) continue;
          sum += xv[((m * h + row) * wd + col) * cIn + ci] * rv[((m * ho + i) * wo + j) * cOut + co];
        }
        dw[((a * kw + b) * cIn + ci) * cOut + co] = sum;
      }
      expect(maxRelErr(ours.dw, dw)).toBeLessThan(1e-5);
    });
  });

  for (const plan of PLANS) {
    it(`${name(plan)} matches tfjs's gradient on cpu: stride 1 and 2, 1x1 and 3x3, odd and even sizes`, async () => {
      await useBackend('cpu');
      CASES.forEach((c, i) => {
        tf.tidy(() => {
          const { x, w, r, stride, pad } = caseTensors(c, i + 1);
          setConvGradientPlan(TFJS);
          const ref = grads(x, w, r, stride, pad);
          setConvGradientPlan(plan);
          const ours = grads(x, w, r, stride, pad);
          expect(ours.value).toBeCloseTo(ref.value, 4);
          expect(ours.dx.length).toBe(ref.dx.length);
          expect(ours.dw.length).toBe(ref.dw.length);
          expect(maxRelErr(ours.dx, ref.dx)).toBeLessThan(1e-5);
          expect(maxRelErr(ours.dw, ref.dw)).toBeLessThan(1e-5);
        });
      });
    });
  }

  it('trains on wasm, which has no Conv2DBackpropFilter, with its default plan, matching cpu, leaking nothing', async () => {
    await useBackend('cpu');
    setConvGradientPlan(TFJS);
    const cpu = CASES.map((c, i) => tf.tidy(() => {
      const { x, w, r, stride, pad } = caseTensors(c, i + 1);
      return grads(x, w, r, stride, pad);
    }));
    await useBackend('wasm');
    const { x, w, r, stride, pad } = caseTensors(CASES[2], 3);
    expect(() => grads(x, w, r, stride, pad)).toThrow();
    tf.dispose([x, w, r]);
    setConvGradientPlan(undefined);
    expect(convGradientPlan()).toEqual({ input: 'forward-conv', filter: 'forward-conv' });
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => {
      tf.tidy(() => {
        const t = caseTensors(c, i + 1);
        const ours = grads(t.x, t.w, t.r, t.stride, t.pad);
        expect(ours.value).toBeCloseTo(cpu[i].value, 3);
        expect(maxRelErr(ours.dx, cpu[i].dx)).toBeLessThan(1e-4);
        expect(maxRelErr(ours.dw, cpu[i].dw)).toBeLessThan(1e-4);
      });
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes no weight gradient when only the input gradient is asked for (a PGD step)', async () => {
    await useBackend('cpu');
    setConvGradientPlan({ input: 'transpose', filter: 'im2col' });
    const { x, w, r, stride, pad } = caseTensors(CASES[0], 1);
    const kernelsOf = async (f: () => tf.Tensor) => {
      const info = await tf.profile(() => tf.keep(f()));
      tf.dispose(info.result as tf.Tensor);
      return new Set(info.kernels.map((k) => k.name));
    };
    const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r));
    const inputOnly = await kernelsOf(() => tf.grad((a: tf.Tensor) => loss(a, w))(x));
    const weightOnly = await kernelsOf(() => tf.grad((b: tf.Tensor) => loss(x, b))(w));
    expect(inputOnly.has('Conv2DBackpropInput')).toBe(true);
    expect(inputOnly.has('BatchMatMul')).toBe(false);
    expect(weightOnly.has('BatchMatMul')).toBe(true);
    expect(weightOnly.has('Conv2DBackpropInput')).toBe(false);
    tf.dispose([x, w, r]);
  });
});
