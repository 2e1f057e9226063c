import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import type { ModelSpec } from '../spec';
import { attackCrossEntropy } from '../train/attackLoss';
import { disposeBatch, lossAndGrads, toDeviceBatch, type DeviceBatch } from '../train/objective';
import { createBatchStatsCollector } from './batchStats';
import { createModel } from './createModel';
import { installLeanGradients } from './leanGradients';
import type { Model } from './model';

const engine = tf.engine() as unknown as { gradients: unknown };
let tfjs: unknown;
let lean: unknown;

/** `f` run with tfjs's own engine.gradients in place of the lean one. */
function withTfjs<T>(f: () => T): T {
  engine.gradients = tfjs;
  try {
    return f();
  } finally {
    engine.gradients = lean;
  }
}

function batchOf(n: number, seed: number): DeviceBatch {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * 8 * 8 * 3 }, () => rng.uniform());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  return toDeviceBatch(x, labels, [8, 8, 3], 4);
}

const data = { shape: [8, 8, 3], numClasses: 4, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };

/** Loss, BatchNorm statistics and every gradient of one 'train' pass, as bytes. */
async function trainPass(model: Model, batch: DeviceBatch): Promise<Uint8Array[]> {
  const stats = createBatchStatsCollector();
  const r = lossAndGrads(model, batch.x, batch, 'train', stats.sink);
  const all = [r.loss, ...r.grads, ...[...stats.collected.values()].flatMap((s) => [s.mean, s.variance])];
  const out = await Promise.all(all.map(async (t) => new Uint8Array((await t.data()).buffer.slice(0))));
  tf.dispose([...all, r.correct]);
  return out;
}

describe('lean gradients: tfjs gradients, bit for bit, with less memory', () => {
  const models: [string, ModelSpec][] = [
    ['cnn', { name: 'cnn', width: 8, depth: 2 }],
    ['preact-resnet10 (BatchNorm)', { name: 'preact-resnet10', width: 4, depth: 1 }],
  ];
  let batch: DeviceBatch;
  beforeAll(async () => {
    await useBackend('cpu');
    tfjs = installLeanGradients();
    lean = engine.gradients;
    batch = batchOf(16, 3);
  });
  afterAll(() => disposeBatch(batch));

  it('replaces engine.gradients once', () => {
    expect(lean).not.toBe(tfjs);
    expect(installLeanGradients()).toBe(tfjs);
    expect(engine.gradients).toBe(lean);
  });

  it.each(models)(
    '%s: the loss, gradients and batch statistics of a training pass are the same bits',
    async (_, spec) => {
      const model = createModel(spec, data, new Rng(7).derive('init'));
      try {
        const before = tf.memory().numTensors;
        const mine = await trainPass(model, batch);
        expect(tf.memory().numTensors).toBe(before);
        const theirs = await withTfjs(() => trainPass(model, batch));
        expect(mine.length).toBe(theirs.length);
        mine.forEach((m, i) => expect(Buffer.from(m).equals(Buffer.from(theirs[i]))).toBe(true));
      } finally {
        model.dispose();
      }
    },
  );

  it.each(models)('%s: an input gradient (what PGD steps along) is the same bits', async (_, spec) => {
    const model = createModel(spec, data, new Rng(8).derive('init'));
    try {
      const g = tf.grad((x: tf.Tensor) => tf.sum(attackCrossEntropy(model.forward(x, 'eval'), batch.oneHot)));
      const mine = g(batch.x);
      const theirs = withTfjs(() => g(batch.x));
      expect(Buffer.from((await mine.data()).buffer).equals(Buffer.from((await theirs.data()).buffer))).toBe(true);
      tf.dispose([mine, theirs]);
    } finally {
      model.dispose();
    }
  });

  it('peaks lower than tfjs on a training pass', async () => {
    const model = createModel({ name: 'preact-resnet10', width: 8, depth: 1 }, data, new Rng(9).derive('init'));
    const big = batchOf(64, 4);
    try {
      const peak = async () => (await tf.profile(() => trainPass(model, big))).peakBytes;
      const mine = await peak();
      const theirs = await withTfjs(peak);
      expect(mine).toBeLessThan(0.75 * theirs);
    } finally {
      model.dispose();
      disposeBatch(big);
    }
  });

  it("leaves the caller's dy alone and scales by it", async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const dy = tf.tensor1d([1, 10, 100]);
    const g = tf.grad((v: tf.Tensor) => tf.mul(tf.square(v), 0.5))(x, dy);
    expect(dy.isDisposed).toBe(false);
    expect(Array.from(await g.data())).toEqual([1, 20, 300]);
    tf.dispose([x, dy, g]);
  });

  it('still takes second derivatives (the inner gradient is tfjs own)', async () => {
    const x = tf.tensor1d([1, -2, 3]);
    const d2 = tf.grad((v: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.pow(u, 3)))(v)))(x);
    expect(Array.from(await d2.data())).toEqual([6, -12, 18]);
    tf.dispose([x, d2]);
  });

  it('refuses a function that does not depend on x', () => {
    const x = tf.scalar(1);
    expect(() => tf.grad(() => tf.scalar(2))(x)).toThrow(/gradient/);
    x.dispose();
  });
});
