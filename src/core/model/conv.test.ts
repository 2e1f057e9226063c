import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { conv2d } from './conv';

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
function grads(useCustom: boolean, x: tf.Tensor, w: tf.Tensor, r: tf.Tensor, stride: number, pad: number) {
  const f = (a: tf.Tensor, b: tf.Tensor) => {
    const y = useCustom ? conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad) : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
    return tf.sum(tf.mul(y, r));
  };
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

describe('conv2d with a forward-conv filter gradient', () => {
  afterAll(() => tf.disposeVariables());

  it("matches tfjs's own conv gradient on cpu, stride 1 and 2, 1x1 and 3x3, odd and even sizes", async () => {
    await useBackend('cpu');
    CASES.forEach((c, i) => {
      tf.tidy(() => {
        const { x, w, r, stride, pad } = caseTensors(c, i + 1);
        const ours = grads(true, x, w, r, stride, pad);
        const ref = grads(false, x, w, r, stride, pad);
        expect(ours.value).toBeCloseTo(ref.value, 4);
        expect(ours.dx.length).toBe(ref.dx.length);
        expect(ours.dw.length).toBe(ref.dw.length);
        expect(maxRelErr(ours.dx, ref.dx)).toBeLessThan(1e-5);
        expect(maxRelErr(ours.dw, ref.dw)).toBeLessThan(1e-5);
      });
    });
  });

  it('runs on wasm, where the built-in conv gradient throws, and matches cpu', async () => {
    await useBackend('cpu');
    const cpu = CASES.map((c, i) => tf.tidy(() => {
      const { x, w, r, stride, pad } = caseTensors(c, i + 1);
      return grads(true, x, w, r, stride, pad);
    }));
    await useBackend('wasm');
    const { x, w, r, stride, pad } = caseTensors(CASES[2], 3);
    expect(() => grads(false, x, w, r, stride, pad)).toThrow();
    tf.dispose([x, w, r]);
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => {
      tf.tidy(() => {
        const t = caseTensors(c, i + 1);
        const ours = grads(true, t.x, t.w, t.r, t.stride, t.pad);
        expect(ours.value).toBeCloseTo(cpu[i].value, 3);
        expect(maxRelErr(ours.dx, cpu[i].dx)).toBeLessThan(1e-4);
        expect(maxRelErr(ours.dw, cpu[i].dw)).toBeLessThan(1e-4);
      });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
