// Backprop through the models (custom conv gradient, BatchNorm, residual and shortcut paths,
// max-pool) checked against central finite differences, and training on wasm.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import type { ModelName } from '../spec';
import { applyBatchStats, createBatchStatsCollector } from './batchStats';
import { createModel } from './createModel';
import type { ForwardMode, Model } from './model';

const data = (h: number, c: number, numClasses: number) => ({
  shape: [h, h, c],
  numClasses,
  mean: new Array<number>(c).fill(0.5),
  std: new Array<number>(c).fill(0.3),
});

function batch(n: number, shape: number[], numClasses: number, seed: number) {
  const rng = new Rng(seed);
  const x = tf.tensor(rng.fillUniform(new Float32Array(n * shape.reduce((a, b) => a * b, 1)), 0, 1), [n, ...shape]);
  const labels = Array.from({ length: n }, () => rng.int(numClasses));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses));
  return { x, y };
}

/**
 * For each named parameter: the directional derivative along a unit direction v,
 * (L(theta + eps v) - L(theta - eps v)) / (2 eps), against <dL/dtheta, v>.
 */
function checkAgainstFiniteDifferences(model: Model, names: string[], mode: ForwardMode, seed: number): void {
  const { x, y } = batch(8, model.inputShape, model.numClasses, seed);
  const loss = () => tf.losses.softmaxCrossEntropy(y, model.forward(x, mode)) as tf.Scalar;
  const params = names.map((n) => {
    const p = model.params.find((q) => q.name === n);
    if (!p) throw new Error(`no param ${n}`);
    return p;
  });
  const { grads } = tf.variableGrads(
    loss,
    params.map((p) => p.variable),
  );
  const rng = new Rng(seed + 100);
  // Small enough not to cross many ReLU / max-pool kinks (1e-2 does), large enough for float32 round-off.
  const eps = 1e-3;
  for (const p of params) {
    // Half along the gradient, half random: a large derivative, so float32 round-off stays small against it.
    const v = tf.tidy(() => {
      const r = tf.tensor(rng.fillNormal(new Float32Array(p.variable.size)), p.variable.shape);
      const g = grads[p.variable.name];
      const d = tf.add(tf.div(g, tf.norm(g)), tf.div(r, tf.norm(r)));
      return tf.div(d, tf.norm(d));
    });
    const analytic = tf.tidy(() => tf.sum(tf.mul(grads[p.variable.name], v)).dataSync()[0]);
    const theta = tf.clone(p.variable);
    const at = (t: number) => {
      tf.tidy(() => p.variable.assign(tf.add(theta, tf.mul(v, t))));
      return tf.tidy(() => loss().dataSync()[0]);
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    p.variable.assign(theta);
    tf.dispose([v, theta]);
    expect(Math.abs(analytic), `${p.name}: gradient vanishes`).toBeGreaterThan(1e-3);
    expect(Math.abs(numeric - analytic), `${p.name}: numeric ${numeric} vs analytic ${analytic}`).toBeLessThan(
      2e-2 * Math.abs(analytic),
    );
  }
  tf.dispose([x, y, ...Object.values(grads)]);
}

function build(name: ModelName, width: number, d: ReturnType<typeof data>, seed = 1) {
  return createModel({ name, width, depth: 2 }, d, new Rng(seed).derive('init'));
}

describe('model gradients', () => {
  it('preact-resnet18 matches finite differences in train-frozen and eval mode (conv, BN, residual, shortcut)', async () => {
    await useBackend('cpu');
    // 16x16 keeps 2x2 maps in stage 4: BN over 8 x 1 x 1 values would make the loss too curved for differences.
    const model = build('preact-resnet18', 3, data(16, 3, 4));
    // Realistic running statistics (another batch's, momentum 1), so eval-mode BN is not the identity.
    const other = batch(8, model.inputShape, model.numClasses, 5);
    const { sink, collected } = createBatchStatsCollector();
    tf.dispose(model.forward(other.x, 'train', sink));
    applyBatchStats(model, collected, 1);
    tf.dispose([other.x, other.y]);
    const names = [
      'conv1.weight',
      'layer1.0.bn1.weight',
      'layer1.1.conv2.weight',
      'layer2.0.conv1.weight',
      'layer2.0.shortcut.0.weight',
      'layer3.0.bn2.bias',
      'layer4.1.conv1.weight',
      'bn.weight',
      'linear.weight',
      'linear.bias',
    ];
    checkAgainstFiniteDifferences(model, names, 'train-frozen', 1);
    checkAgainstFiniteDifferences(model, names, 'eval', 2);
    model.dispose();
  });

  it('cnn matches finite differences (conv bias, max-pool, dense)', async () => {
    await useBackend('cpu');
    const model = build('cnn', 3, data(9, 2, 3));
    checkAgainstFiniteDifferences(
      model,
      ['conv1.weight', 'conv1.bias', 'conv2.weight', 'fc1.weight', 'fc2.bias'],
      'eval',
      3,
    );
    model.dispose();
  });

  it('trains a preact-resnet on wasm, updating running statistics once per step', async () => {
    await useBackend('wasm');
    const model = build('preact-resnet10', 4, data(8, 3, 4), 2);
    const { x, y } = batch(16, model.inputShape, 4, 9);
    const vars = model.params.map((p) => p.variable);
    const optimizer = tf.train.sgd(0.2);
    const lossAt = () =>
      tf.tidy(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, 'train-frozen')).dataSync()[0]);
    const first = lossAt();
    const before = tf.memory().numTensors;
    for (let step = 0; step < 15; step++) {
      const { sink, collected } = createBatchStatsCollector();
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, model.forward(x, 'train', sink)),
        vars,
      );
      optimizer.applyGradients(grads);
      // bn1 and bn2 in each of the 4 blocks, and the final bn.
      expect(collected.size).toBe(9);
      applyBatchStats(model, collected);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(lossAt()).toBeLessThan(0.5 * first);
    const runningVar = model.buffers.find((b) => b.name === 'bn.running_var')!.variable.dataSync();
    expect(runningVar.some((v) => v !== 1)).toBe(true);
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});
