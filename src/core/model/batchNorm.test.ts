import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { BN_EPS, batchNorm } from './batchNorm';
import { applyBatchStats, createBatchStatsCollector } from './batchStats';
import { createModel } from './createModel';
import type { BatchStatsSink } from './model';
import { ModelBuilder } from './modelBuilder';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
};

/** Reference per-channel statistics of NHWC data, computed in plain JS. */
function channelStats(x: Float32Array, c: number) {
  const n = x.length / c;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  for (let i = 0; i < x.length; i++) mean[i % c] += x[i] / n;
  for (let i = 0; i < x.length; i++) variance[i % c] += (x[i] - mean[i % c]) ** 2 / n;
  return { mean, variance, n };
}

describe('batchNorm', () => {
  beforeAll(() => useBackend('cpu'));

  it('normalises with biased batch statistics in train modes, running statistics in eval; only train reports', () => {
    const b = new ModelBuilder(new Rng(1));
    const layer = b.batchNorm('bn', 2);
    layer.gamma.assign(tf.tensor1d([2, 0.5]));
    layer.beta.assign(tf.tensor1d([1, -1]));
    layer.runningMean.assign(tf.tensor1d([0.3, -0.2]));
    layer.runningVar.assign(tf.tensor1d([4, 0.25]));
    const x = tf.randomNormal([3, 2, 2, 2], 1, 2, 'float32', 4);
    const xv = x.dataSync() as Float32Array;
    const { mean, variance, n } = channelStats(xv, 2);
    const expected = (m: number[], v: number[]) =>
      Array.from(xv, (xi, i) => ((xi - m[i % 2]) / Math.sqrt(v[i % 2] + BN_EPS)) * [2, 0.5][i % 2] + [1, -1][i % 2]);

    const reports: [string, number[], number[], number][] = [];
    const sink: BatchStatsSink = (prefix, m, v, count) => {
      reports.push([prefix, [...m.dataSync()], [...v.dataSync()], count]);
      tf.dispose([m, v]);
    };
    close(
      tf.tidy(() => batchNorm(x, layer, 'train', sink).dataSync()),
      expected(mean, variance),
      1e-4,
    );
    expect(reports).toHaveLength(1);
    expect(reports[0][0]).toBe('bn');
    close(reports[0][1], mean);
    close(reports[0][2], variance, 1e-4);
    expect(reports[0][3]).toBe(n);

    close(
      tf.tidy(() => batchNorm(x, layer, 'train-frozen', sink).dataSync()),
      expected(mean, variance),
      1e-4,
    );
    close(
      tf.tidy(() => batchNorm(x, layer, 'eval', sink).dataSync()),
      expected([0.3, -0.2], [4, 0.25]),
      1e-4,
    );
    expect(reports).toHaveLength(1);
    expect(() => tf.tidy(() => batchNorm(x, layer, 'train'))).toThrow(/BatchStatsSink/);
    x.dispose();
    for (const v of [...b.params, ...b.buffers]) v.variable.dispose();
  });

  it("a model reports each BatchNorm once in 'train', none in 'train-frozen', and never writes its buffers itself", async () => {
    const model = createModel(
      { name: 'preact-resnet18', width: 2, depth: 1 },
      { shape: [8, 8, 3], numClasses: 3, mean: [0], std: [1] },
      new Rng(1),
    );
    const x = tf.randomUniform([5, 8, 8, 3], 0, 1, 'float32', 2);
    const before = await Promise.all(model.buffers.map((b) => b.variable.data()));
    const { sink, collected } = createBatchStatsCollector();
    tf.dispose(model.forward(x, 'train', sink));
    const prefixes = model.buffers
      .filter((b) => b.name.endsWith('.running_mean'))
      .map((b) => b.name.replace('.running_mean', ''));
    expect([...collected.keys()].sort()).toEqual(prefixes.sort());
    // count = batch * h * w at that layer: 8x8 in stage 1, 1x1 at the end.
    expect(collected.get('layer1.0.bn1')!.count).toBe(5 * 8 * 8);
    expect(collected.get('layer2.0.bn2')!.count).toBe(5 * 4 * 4);
    expect(collected.get('bn')!.count).toBe(5);
    const unchanged = await Promise.all(model.buffers.map((b) => b.variable.data()));
    expect(unchanged).toEqual(before);

    let calls = 0;
    tf.dispose(model.forward(x, 'train-frozen', () => calls++));
    tf.dispose(model.forward(x, 'eval', () => calls++));
    expect(calls).toBe(0);
    expect(() => model.forward(x, 'train')).toThrow(/BatchStatsSink/);
    // A layer reporting twice in one step is a bug of the caller: the collector refuses it.
    expect(() => tf.dispose(model.forward(x, 'train', sink))).toThrow(/twice/);

    applyBatchStats(model, collected);
    x.dispose();
    model.dispose();
  });

  it("has the gradient of the plain formula in batch-statistics modes and of x scale + shift in 'eval'", () => {
    const b = new ModelBuilder(new Rng(5));
    const layer = b.batchNorm('bn', 3);
    layer.gamma.assign(tf.tensor1d([1.5, -0.7, 0.2]));
    layer.beta.assign(tf.tensor1d([0.1, 0.2, -0.3]));
    layer.runningMean.assign(tf.tensor1d([0.2, -0.1, 0.4]));
    layer.runningVar.assign(tf.tensor1d([2, 0.5, 1.2]));
    const x = tf.randomNormal([4, 3, 2, 3], 0.5, 2, 'float32', 6);
    const r = tf.randomNormal([4, 3, 2, 3], 0, 1, 'float32', 7);
    const { gamma, beta, runningMean, runningVar } = layer;
    // The textbook formulas, differentiated by tfjs's autodiff.
    const plain = (mode: 'train-frozen' | 'eval') => (a: tf.Tensor, g: tf.Tensor, bt: tf.Tensor) => {
      const mean = mode === 'eval' ? runningMean : tf.mean(a, [0, 1, 2]);
      const variance = mode === 'eval' ? runningVar : tf.mean(tf.square(tf.sub(a, mean)), [0, 1, 2]);
      return tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, BN_EPS))), g), bt), r));
    };
    for (const mode of ['train-frozen', 'eval'] as const) {
      const ours = tf.grads((a: tf.Tensor, g: tf.Tensor, bt: tf.Tensor) =>
        tf.sum(tf.mul(batchNorm(a, { ...layer, gamma: g as tf.Variable, beta: bt as tf.Variable }, mode), r)),
      )([x, gamma, beta]);
      const ref = tf.grads(plain(mode))([x, gamma, beta]);
      ours.forEach((g, i) => close(g.dataSync(), ref[i].dataSync(), 1e-4));
      tf.dispose([...ours, ...ref]);
    }
    const sink: BatchStatsSink = (_, m, v) => tf.dispose([m, v]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(batchNorm(x, layer, 'train', sink), r)),
        [gamma, beta],
      );
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, r]);
    for (const v of [...b.params, ...b.buffers]) v.variable.dispose();
  });

  it('eval output does not depend on the rest of the batch; train-frozen output does', () => {
    const model = createModel(
      { name: 'preact-resnet10', width: 2, depth: 1 },
      { shape: [6, 6, 2], numClasses: 3, mean: [0.5], std: [0.25] },
      new Rng(2),
    );
    const x = tf.randomUniform([6, 6, 6, 2], 0, 1, 'float32', 3);
    const diff = (mode: 'eval' | 'train-frozen') =>
      tf.tidy(() => {
        const full = tf.slice(model.forward(x, mode), [0, 0], [2, -1]);
        const part = model.forward(tf.slice(x, [0, 0, 0, 0], [2, -1, -1, -1]), mode);
        return tf.max(tf.abs(tf.sub(full, part))).dataSync()[0];
      });
    expect(diff('eval')).toBeLessThan(1e-5);
    expect(diff('train-frozen')).toBeGreaterThan(1e-3);
    x.dispose();
    model.dispose();
  });
});

describe('applyBatchStats', () => {
  beforeAll(() => useBackend('cpu'));

  it("folds batch statistics into running buffers with PyTorch's rule (unbiased variance), then frees them", () => {
    const model = createModel(
      { name: 'preact-resnet10', width: 2, depth: 1 },
      { shape: [4, 4, 1], numClasses: 2, mean: [0], std: [1] },
      new Rng(3),
    );
    const get = (name: string) => model.buffers.find((b) => b.name === name)!.variable;
    get('bn.running_mean').assign(tf.tensor1d(new Array(16).fill(2)));
    const before = tf.memory().numTensors;
    const collected = new Map([
      ['bn', { mean: tf.fill([16], 1) as tf.Tensor1D, variance: tf.fill([16], 3) as tf.Tensor1D, count: 4 }],
    ]);
    applyBatchStats(model, collected);
    expect(collected.size).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    close(get('bn.running_mean').dataSync(), new Array(16).fill(0.9 * 2 + 0.1 * 1));
    close(get('bn.running_var').dataSync(), new Array(16).fill(0.9 * 1 + 0.1 * 3 * (4 / 3)));
    // Untouched layers keep their buffers.
    close(get('layer1.0.bn1.running_var').dataSync(), [1, 1]);

    const bad = new Map([
      ['nope', { mean: tf.zeros([2]) as tf.Tensor1D, variance: tf.ones([2]) as tf.Tensor1D, count: 4 }],
    ]);
    expect(() => applyBatchStats(model, bad)).toThrow(/no BatchNorm buffers named nope/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
