import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { convGradReference, maxRelError } from './convReference';
import { conv2d, convGradientPlan, planLabel, setConvGradientPlan, type ConvGradientPlan } from './conv';

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
// Every pair but tfjs's own: each backend's default (conv.ts) is among them.
const PLANS: ConvGradientPlan[] = [
  { input: 'forward-conv', filter: 'forward-conv' },
  { input: 'forward-conv', filter: 'im2col' },
  { input: 'transpose', filter: 'im2col' },
  { input: 'transpose', filter: 'forward-conv' },
];

describe("conv2d with the lab's conv gradient", () => {
  afterEach(() => setConvGradientPlan(undefined));
  afterAll(() => tf.disposeVariables());

  it("gives the definition's dX and dW (float64 loops) under the tfjs plan, the reference below", async () => {
    await useBackend('cpu');
    setConvGradientPlan(TFJS);
    CASES.forEach((c, i) => {
      tf.tidy(() => {
        const { x, w, r, stride, pad } = caseTensors(c, i + 1);
        const ours = grads(x, w, r, stride, pad);
        const ref = convGradReference(x.dataSync(), x.shape, w.dataSync(), w.shape, r.dataSync(), stride, pad);
        expect(maxRelError(ours.dx, ref.dx)).toBeLessThan(1e-5);
        expect(maxRelError(ours.dw, ref.dw)).toBeLessThan(1e-5);
      });
    });
  });

  for (const plan of PLANS) {
    it(`${planLabel(plan)} matches tfjs's gradient on cpu: stride 1 and 2, 1x1 and 3x3, odd and even sizes`, async () => {
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
          expect(maxRelError(ours.dx, ref.dx)).toBeLessThan(1e-5);
          expect(maxRelError(ours.dw, ref.dw)).toBeLessThan(1e-5);
        });
      });
    });
  }

  it('trains on wasm, which has no Conv2DBackpropFilter, with its default plan, matching cpu, leaking nothing', async () => {
    await useBackend('cpu');
    setConvGradientPlan(TFJS);
    const cpu = CASES.map((c, i) =>
      tf.tidy(() => {
        const { x, w, r, stride, pad } = caseTensors(c, i + 1);
        return grads(x, w, r, stride, pad);
      }),
    );
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
        expect(maxRelError(ours.dx, cpu[i].dx)).toBeLessThan(1e-4);
        expect(maxRelError(ours.dw, cpu[i].dw)).toBeLessThan(1e-4);
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
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r));
    const inputOnly = await kernelsOf(() => tf.grad((a: tf.Tensor) => loss(a, w))(x));
    const weightOnly = await kernelsOf(() => tf.grad((b: tf.Tensor) => loss(x, b))(w));
    expect(inputOnly.has('Conv2DBackpropInput')).toBe(true);
    expect(inputOnly.has('BatchMatMul')).toBe(false);
    expect(weightOnly.has('BatchMatMul')).toBe(true);
    expect(weightOnly.has('Conv2DBackpropInput')).toBe(false);
    tf.dispose([x, w, r]);
  });
});
