import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { createModel } from '../model/createModel';
import { readParams } from '../model/paramUtils';
import { Rng } from '../rng';
import { pytorchTensors, modelSafetensors } from './pytorchWeights';
import { encodeSafetensors, readSafetensorsHeader, readSafetensorsTensor } from './safetensors';

const image = (h: number, c: number, w = h) => ({
  shape: [h, w, c],
  numClasses: 3,
  mean: new Array<number>(c).fill(0.5),
  std: new Array<number>(c).fill(0.25),
});

beforeAll(() => useBackend('cpu'));

describe('safetensors writer', () => {
  it('writes a header that parses, with contiguous offsets, aligned data and the values back bit-exactly', () => {
    const a = { name: 'a.weight', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5e-8, -0]) };
    const b = { name: 'b.bias', shape: [1], data: Float32Array.from([Math.PI]) };
    const bytes = encodeSafetensors([a, b], { note: 'x' });
    const header = readSafetensorsHeader(bytes);
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
    expect(header.metadata).toEqual({ note: 'x' });
    expect(header.tensors['a.weight']).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header.tensors['b.bias']).toEqual({ dtype: 'F32', shape: [1], data_offsets: [24, 28] });
    expect(readSafetensorsTensor(bytes, header, 'a.weight')).toEqual(a.data);
    expect(readSafetensorsTensor(bytes, header, 'b.bias')).toEqual(b.data);
  });

  it('refuses a shape that does not match the data, and a truncated file', () => {
    expect(() => encodeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      /holds 4 values/,
    );
    const bytes = encodeSafetensors([{ name: 'x', shape: [4], data: new Float32Array(4) }]);
    expect(() => readSafetensorsHeader(bytes.subarray(0, bytes.length - 4))).toThrow(/the file at/);
  });
});

describe('PyTorch layouts', () => {
  it('transposes a PreAct ResNet to PyTorch shapes and keeps BatchNorm buffers', async () => {
    const model = createModel({ name: 'preact-resnet10', width: 2, depth: 1 }, image(8, 3), new Rng(3).derive('init'));
    try {
      const tensors = await pytorchTensors(model);
      const byName = new Map(tensors.map((t) => [t.name, t]));
      const raw = await readParams(model);
      for (const p of model.params) {
        const s = p.variable.shape;
        const t = byName.get(p.name)!;
        if (p.kind === 'conv') {
          expect(t.shape).toEqual([s[3], s[2], s[0], s[1]]);
          // W_pt[o, i, y, x] = W_tf[y, x, i, o], at the last index of each axis.
          const [kh, kw, cin, cout] = s;
          const [y, x, i, o] = [kh - 1, kw - 1, cin - 1, cout - 1];
          expect(t.data[((o * cin + i) * kh + y) * kw + x]).toBe(raw.get(p.name)![((y * kw + x) * cin + i) * cout + o]);
        } else if (p.kind === 'dense') expect(t.shape).toEqual([s[1], s[0]]);
        else expect(t.shape).toEqual(s);
      }
      const names = tensors.map((t) => t.name);
      expect(names.filter((n) => n.endsWith('.running_mean')).length).toBeGreaterThan(0);
      expect(names.filter((n) => n.endsWith('.running_var')).length).toBe(
        names.filter((n) => n.endsWith('.running_mean')).length,
      );
      const header = readSafetensorsHeader(await modelSafetensors(model));
      expect(Object.keys(header.tensors).sort()).toEqual([...names].sort());
      expect(header.metadata.format).toBe('pt');
    } finally {
      model.dispose();
    }
  });

  it.each([
    [4, 4, [2, 2, 2]],
    [6, 4, [3, 2, 2]],
    [5, 9, [2, 4, 2]],
  ])(
    'reorders a CNN first dense layer so NCHW-flattened inputs give the same outputs as tfjs (%ix%i input)',
    async (h, w, feat) => {
      const model = createModel({ name: 'cnn', width: 2, depth: 1 }, image(h, 1, w), new Rng(4).derive('init'));
      try {
        const fc1 = model.params.find((p) => p.name === 'fc1.weight')!;
        const [nIn, nOut] = fc1.variable.shape; // h/2 x w/2 x 2 features after one conv + pool
        const before = tf.memory().numTensors;
        const [outT, nchwT] = tf.tidy(() => {
          const feats = tf.randomNormal(
            [1, ...feat] as [number, number, number, number],
            0,
            1,
            'float32',
            7,
          ) as tf.Tensor4D;
          return [
            tf.matMul(tf.reshape(feats, [1, nIn]), fc1.variable as tf.Tensor2D),
            tf.transpose(feats, [0, 3, 1, 2]).reshape([nIn]),
          ];
        });
        const tfOut = await outT.data();
        const nchw = await nchwT.data();
        tf.dispose([outT, nchwT]);
        const pt = (await pytorchTensors(model)).find((t) => t.name === 'fc1.weight')!;
        expect(pt.shape).toEqual([nOut, nIn]);
        for (let o = 0; o < nOut; o++) {
          let sum = 0;
          for (let i = 0; i < nIn; i++) sum += pt.data[o * nIn + i] * nchw[i];
          expect(sum).toBeCloseTo(tfOut[o], 5);
        }
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        model.dispose();
      }
    },
  );
});
