import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { createModel } from '../model/createModel';
import { readParams } from '../model/paramUtils';
import { Rng } from '../rng';
import { WeightOrigin } from './weightOrigin';

const spec = { name: 'preact-resnet10' as const, width: 2, depth: 1 };
const data = { shape: [6, 6, 1], numClasses: 3, mean: [0.5], std: [0.25] };

describe('WeightOrigin', () => {
  beforeAll(() => useBackend('cpu'));

  it('moves the weights and restores them bit-exactly, repeatably and without leaking', async () => {
    const model = createModel(spec, data, new Rng(1));
    const vars = model.params.map((p) => p.variable);
    const start = tf.memory().numTensors;
    const original = await readParams(model);
    const origin = new WeightOrigin(vars);
    const noise = vars.map((v, i) => tf.randomNormal(v.shape, 0, 0.1, 'float32', i));
    origin.shift(noise);
    expect((await readParams(model)).get('layer1.0.conv1.weight')).not.toEqual(original.get('layer1.0.conv1.weight'));
    origin.restore();
    expect(await readParams(model)).toEqual(original);
    // Shifts start from w0, not from where the weights are: two shifts land where one does.
    origin.shift(noise);
    const once = await readParams(model);
    origin.shift(noise);
    expect(await readParams(model)).toEqual(once);
    origin.moveTo([noise], [0]);
    expect(await readParams(model)).toEqual(original);
    origin.moveTo([noise], [1]);
    origin.dispose();
    expect(await readParams(model)).toEqual(original);
    tf.dispose(noise);
    expect(tf.memory().numTensors).toBe(start);
    model.dispose();
  });
});
