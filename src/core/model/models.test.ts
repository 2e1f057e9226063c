import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import type { ModelName } from '../spec';
import { createModel } from './createModel';
import type { Model } from './model';
import { countParams, flopsPerExample, readParams } from './paramUtils';

const image = (h: number, c: number, numClasses = 10) => ({
  shape: [h, h, c],
  numClasses,
  mean: new Array<number>(c).fill(0.5),
  std: new Array<number>(c).fill(0.25),
});
const build = (name: ModelName, width: number, depth: number, data: ReturnType<typeof image>, seed = 1) =>
  createModel({ name, width, depth }, data, new Rng(seed).derive('init'));

function withModel<T>(m: Model, f: (m: Model) => T): T {
  try {
    return f(m);
  } finally {
    m.dispose();
  }
}

/** Hand count of PreAct ResNet parameters: stem, blocks (BN 2c each, convs 9 cIn cOut, 1x1 shortcut), final BN, linear. */
function preactCount(width: number, blocksPerStage: number, cIn: number, classes: number): number {
  let n = 9 * cIn * width;
  let c = width;
  [1, 2, 2, 2].forEach((stride, s) => {
    const planes = width * 2 ** s;
    for (let i = 0; i < blocksPerStage; i++) {
      n += 2 * c + 9 * c * planes + 2 * planes + 9 * planes * planes;
      if ((i === 0 && stride !== 1) || c !== planes) n += c * planes;
      c = planes;
    }
  });
  return n + 2 * c + c * classes + classes;
}

describe('models', () => {
  beforeAll(() => useBackend('cpu'));

  it('preact-resnet18 at width 16 on 32x32x3 / 10 classes has the reference 0.70 M parameters', () => {
    expect(preactCount(16, 2, 3, 10)).toBe(701_018);
    withModel(build('preact-resnet18', 16, 1, image(32, 3)), (m) => {
      expect(countParams(m)).toBe(701_018);
      // Running buffers: one mean and one var per BN channel, not counted as parameters.
      const bnChannels = m.params.filter((p) => p.kind === 'bn-gamma').reduce((n, p) => n + p.variable.size, 0);
      expect(m.buffers.reduce((n, b) => n + b.variable.size, 0)).toBe(2 * bnChannels);
    });
    withModel(build('preact-resnet10', 8, 1, image(16, 1, 4)), (m) =>
      expect(countParams(m)).toBe(preactCount(8, 1, 1, 4)),
    );
  });

  it('cnn at width 32, depth 2 on 28x28x1 is the reference conv(32)-pool-conv(64)-pool-FC 128-FC 10 (0.42 M)', () => {
    withModel(build('cnn', 32, 2, image(28, 1)), (m) => {
      // (9*1*32 + 32) + (9*32*64 + 64) + (7*7*64*128 + 128) + (128*10 + 10)
      expect(countParams(m)).toBe(320 + 18_496 + 401_536 + 1_290);
      expect(m.params.find((p) => p.name === 'fc1.weight')?.variable.shape).toEqual([7 * 7 * 64, 128]);
      // 2 kh kw cIn cOut hOut wOut per conv, 2 in out per dense.
      expect(flopsPerExample(m)).toBe(2 * 9 * 32 * 784 + 2 * 9 * 32 * 64 * 196 + 2 * 3136 * 128 + 2 * 128 * 10);
    });
  });

  it('mlp and linear flatten their input', () => {
    withModel(build('mlp', 5, 3, image(4, 2, 3)), (m) => expect(countParams(m)).toBe(33 * 5 + 2 * 6 * 5 + 6 * 3));
    withModel(build('linear', 1, 1, image(4, 2, 3)), (m) => {
      expect(countParams(m)).toBe(32 * 3 + 3);
      expect(flopsPerExample(m)).toBe(2 * 32 * 3);
    });
    const toy = { shape: [24], numClasses: 2, mean: [0], std: [1] };
    withModel(createModel({ name: 'mlp', width: 8, depth: 1 }, toy, new Rng(1)), (m) => {
      const y = tf.tidy(() => m.forward(tf.zeros([3, 24]), 'eval'));
      expect(y.shape).toEqual([3, 2]);
      y.dispose();
    });
  });

  it('names are unique and follow the PyTorch module tree', () => {
    withModel(build('preact-resnet18', 2, 1, image(8, 3)), (m) => {
      const names = [...m.params, ...m.buffers].map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names)
        expect(n).toMatch(
          /^(conv1|bn|linear|layer[1-4]\.[01]\.(bn1|bn2|conv1|conv2|shortcut\.0))\.(weight|bias|running_mean|running_var)$/,
        );
      expect(names).toContain('layer2.0.shortcut.0.weight');
      expect(names).not.toContain('layer1.0.shortcut.0.weight');
      expect(names).not.toContain('layer2.1.shortcut.0.weight');
      expect(m.buffers.map((b) => b.name)).toContain('layer3.1.bn2.running_var');
      const kind = new Map(m.params.map((p) => [p.name, p.kind]));
      expect([
        kind.get('conv1.weight'),
        kind.get('bn.weight'),
        kind.get('bn.bias'),
        kind.get('linear.weight'),
        kind.get('linear.bias'),
      ]).toEqual(['conv', 'bn-gamma', 'bn-beta', 'dense', 'bias']);
      expect(m.params.some((p) => p.name.startsWith('conv1.bias'))).toBe(false);
    });
  });

  it('same seed gives the same init, a different seed a different one', async () => {
    const values = async (seed: number) => {
      const m = build('cnn', 4, 2, image(8, 1), seed);
      const out = [...(await readParams(m)).values()].flatMap((v) => [...v]);
      m.dispose();
      return out;
    };
    const a = await values(7);
    expect(await values(7)).toEqual(a);
    const b = await values(8);
    expect(b.length).toBe(a.length);
    expect(b.filter((v, i) => v !== a[i]).length).toBeGreaterThan(a.length / 2);
  });

  it('initialises like PyTorch: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) weights, BN gamma 1, beta 0, running 0 / 1', () => {
    withModel(build('preact-resnet10', 4, 1, image(8, 3)), (m) => {
      const w = m.params.find((p) => p.name === 'layer2.0.conv1.weight')!.variable;
      const bound = 1 / Math.sqrt(9 * 4);
      const v = w.dataSync();
      expect(Math.max(...v)).toBeLessThanOrEqual(bound);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-bound);
      expect(Math.max(...v)).toBeGreaterThan(0.8 * bound);
      const get = (n: string) => [...m.params, ...m.buffers].find((p) => p.name === n)!.variable.dataSync();
      expect([...get('bn.weight')]).toEqual(new Array(32).fill(1));
      expect([...get('bn.bias')]).toEqual(new Array(32).fill(0));
      expect([...get('bn.running_mean')]).toEqual(new Array(32).fill(0));
      expect([...get('bn.running_var')]).toEqual(new Array(32).fill(1));
    });
  });

  it('normalises inputs per channel inside the model', () => {
    const data = { shape: [3], numClasses: 2, mean: [1, 2, 3], std: [2, 4, 8] };
    withModel(createModel({ name: 'linear', width: 1, depth: 1 }, data, new Rng(3)), (m) => {
      const w = m.params[0].variable.arraySync() as number[][];
      const b = m.params[1].variable.dataSync();
      const y = tf.tidy(() => m.forward(tf.tensor2d([[3, 6, 11]]), 'eval').dataSync());
      // normalised input is [1, 1, 1]
      for (let k = 0; k < 2; k++) expect(y[k]).toBeCloseTo(w[0][k] + w[1][k] + w[2][k] + b[k], 5);
    });
  });

  it('rejects inputs a model cannot take, with a clear message and no leaked variables', () => {
    const before = tf.memory().numTensors;
    const toy = { shape: [24], numClasses: 2, mean: [0], std: [1] };
    expect(() => createModel({ name: 'cnn', width: 4, depth: 2 }, toy, new Rng(1))).toThrow(/cnn takes images/);
    expect(() => createModel({ name: 'preact-resnet18', width: 4, depth: 1 }, toy, new Rng(1))).toThrow(
      /preact-resnet18 takes images/,
    );
    expect(() => build('cnn', 4, 4, image(8, 1))).toThrow(/below 1x1/);
    expect(() =>
      createModel({ name: 'mlp', width: 4, depth: 1 }, { ...image(8, 3), mean: [0, 0] }, new Rng(1)),
    ).toThrow(/mean has 2 values/);
    expect(() => createModel({ name: 'mlp', width: 0, depth: 1 }, image(8, 3), new Rng(1))).toThrow(
      /positive integers/,
    );
    expect(tf.memory().numTensors).toBe(before);
    withModel(build('linear', 1, 1, image(4, 1)), (m) => {
      const x = tf.zeros([2, 4, 4, 3]);
      expect(() => m.forward(x, 'eval')).toThrow(/takes \[batch, 4, 4, 1\]/);
      x.dispose();
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors over repeated forward and backward passes, nor after dispose', () => {
    const start = tf.memory().numTensors;
    for (const name of ['preact-resnet18', 'cnn', 'mlp'] as const) {
      withModel(build(name, 2, 1, image(8, 3)), (m) => {
        const x = tf.randomUniform([4, 8, 8, 3]);
        const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10));
        const vars = m.params.map((p) => p.variable);
        const step = () => {
          const { value, grads } = tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy(labels, m.forward(x, 'train-frozen')),
            vars,
          );
          value.dispose();
          tf.dispose(grads);
          tf.dispose(tf.grad((xi: tf.Tensor) => tf.sum(m.forward(xi, 'eval')))(x));
        };
        step();
        const before = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) step();
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, labels]);
      });
    }
    expect(tf.memory().numTensors).toBe(start);
  });
});
