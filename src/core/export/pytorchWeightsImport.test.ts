import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { createModel } from '../model/createModel';
import type { Model } from '../model/model';
import { readParams } from '../model/paramUtils';
import { Rng } from '../rng';
import { modelSafetensors } from './pytorchWeights';
import { loadPytorchWeights } from './pytorchWeightsImport';
import { encodeSafetensors } from './safetensors';

const image = (h: number, c: number) => ({
  shape: [h, h, c],
  numClasses: 3,
  mean: new Array<number>(c).fill(0.5),
  std: new Array<number>(c).fill(0.25),
});

beforeAll(() => useBackend('cpu'));

async function logits(model: Model, x: tf.Tensor): Promise<Float32Array> {
  const out = tf.tidy(() => model.forward(x, 'eval'));
  const v = (await out.data()) as Float32Array;
  out.dispose();
  return v;
}

describe('PyTorch weights read back into a lab model', () => {
  it.each([
    ['preact-resnet10', { name: 'preact-resnet10' as const, width: 2, depth: 1 }, image(8, 3)],
    ['cnn (flattened fc1)', { name: 'cnn' as const, width: 2, depth: 2 }, image(8, 1)],
    ['mlp on images', { name: 'mlp' as const, width: 5, depth: 2 }, image(4, 3)],
  ])(
    '%s: an export loads into a differently initialised model bit-exactly and gives the same logits',
    async (_, spec, data) => {
      const source = createModel(spec, data, new Rng(1).derive('init'));
      const target = createModel(spec, data, new Rng(2).derive('init'));
      const x = tf.randomUniform([2, ...data.shape], 0, 1, 'float32', 5);
      try {
        // Non-trivial BatchNorm buffers, so they are read back too.
        for (const b of source.buffers)
          b.variable.assign(tf.fill(b.variable.shape, b.name.endsWith('var') ? 1.5 : 0.25));
        const result = loadPytorchWeights(target, await modelSafetensors(source, { run: 'sgd' }));
        expect(result).toEqual({ ok: true, metadata: expect.objectContaining({ run: 'sgd', format: 'pt' }) });
        expect(await readParams(target)).toEqual(await readParams(source));
        expect(await logits(target, x)).toEqual(await logits(source, x));
      } finally {
        tf.dispose(x);
        source.dispose();
        target.dispose();
      }
    },
  );

  it('refuses a wrong file with the reason and leaves the weights as they were', async () => {
    const model = createModel({ name: 'cnn', width: 2, depth: 1 }, image(4, 1), new Rng(3).derive('init'));
    const other = createModel({ name: 'cnn', width: 3, depth: 1 }, image(4, 1), new Rng(3).derive('init'));
    try {
      const before = await readParams(model);
      const cases: [Uint8Array, RegExp][] = [
        [new Uint8Array(4), /shorter than 8 bytes/],
        [Uint8Array.from([255, 255, 255, 255, 0, 0, 0, 0, 1]), /runs past the end/],
        [Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0, 123, 120]), /not JSON/],
        [await modelSafetensors(other), /conv1\.weight: shape \[3, 1, 3, 3\], this model has \[2, 1, 3, 3\]/],
        [
          encodeSafetensors([
            { name: 'conv1.weight', shape: [2, 1, 3, 3], data: new Float32Array(18) },
            { name: 'extra', shape: [1], data: new Float32Array(1) },
          ]),
          /does not have: "extra".*conv1\.bias: missing/,
        ],
      ];
      for (const [bytes, reason] of cases) {
        const r = loadPytorchWeights(model, bytes);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.reason).toMatch(reason);
          expect(r.reason.length).toBeLessThan(600);
        }
      }
      // A dtype other than F32 and data_offsets outside the file.
      const good = await modelSafetensors(model);
      const headerEnd = 8 + Number(new DataView(good.buffer).getBigUint64(0, true));
      const header = new TextDecoder().decode(good.subarray(8, headerEnd));
      for (const [from, to, reason] of [
        ['"F32"', '"F16"', /dtype "F16", expected F32/],
        ['"data_offsets":[0,', '"data_offsets":[9,', /data_offsets/],
      ] as const) {
        // Same-length edits of the header: the file stays the same size.
        const bad = good.slice();
        bad.set(new TextEncoder().encode(header.replace(from, to)), 8);
        const r = loadPytorchWeights(model, bad);
        expect(r.ok ? '' : r.reason).toMatch(reason);
      }
      expect(await readParams(model)).toEqual(before);
    } finally {
      model.dispose();
      other.dispose();
    }
  });
});
