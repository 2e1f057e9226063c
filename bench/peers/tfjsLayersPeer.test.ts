import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../scripts/lib/nodeBackend';
import { createModel } from '../../src/core/model/createModel';
import { Rng } from '../../src/core/rng';
import { LayersStepper, tfjsLayersPeer } from './tfjsLayersPeer';

const tiny = { width: 1, batch: 4, seed: 3 };

describe('the stock tf.layers peer', () => {
  beforeAll(() => useBackend('cpu'));

  it.each([2, 4])("has the lab's trainable parameter count at width %i", (width) => {
    const lab = createModel(
      { name: 'preact-resnet10', width, depth: 1 },
      { shape: [32, 32, 3], numClasses: 10, mean: [0.5], std: [0.29] },
      new Rng(1),
    );
    const labCount = lab.params.reduce((s, p) => s + p.variable.size, 0);
    lab.dispose();
    expect(tfjsLayersPeer.paramCount(width)).toBe(labCount);
  });

  it('lowers the loss of its fixed batch with SGD', async () => {
    const s = new LayersStepper(tiny, 'sgd');
    try {
      const first = await s.lossStep();
      let last = first;
      for (let i = 0; i < 6; i++) last = await s.lossStep();
      expect(last).toBeLessThan(first);
    } finally {
      s.dispose();
    }
  });

  it.each(['sam', 'at-pgd5'] as const)('leaves no tensor behind: %s', async (method) => {
    const before = tf.memory().numTensors;
    const s = new LayersStepper(tiny, method);
    // The first step creates the momentum buffers; every later one must leave the count as it was.
    await s.step();
    const after1 = tf.memory().numTensors;
    await s.step();
    await s.step();
    expect(tf.memory().numTensors).toBe(after1);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says why it cannot train on wasm (no Conv2DBackpropFilter)', async () => {
    await useBackend('wasm');
    try {
      expect(await tfjsLayersPeer.create(tiny, 'sgd', 'wasm')).toMatch(/Conv2DBackpropFilter/);
    } finally {
      await useBackend('cpu');
    }
  });
});
