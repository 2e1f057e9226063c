import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { createModel } from './createModel';
import { disposeSnapshot, readParams, restoreParams, snapshotParams, writeParams } from './paramUtils';

const spec = { name: 'preact-resnet10' as const, width: 2, depth: 1 };
const data = { shape: [6, 6, 1], numClasses: 3, mean: [0.5], std: [0.25] };

/** Adds noise to every parameter and buffer, as an optimiser step or SAM's ascent would. */
function perturb(model: ReturnType<typeof createModel>) {
  for (const v of [...model.params, ...model.buffers]) tf.tidy(() => v.variable.assign(tf.add(v.variable, tf.randomNormal(v.variable.shape, 0, 0.1, 'float32', 1))));
}

describe('paramUtils', () => {
  beforeAll(() => useBackend('cpu'));

  it('snapshot / restore is bit-exact, repeatable and leak-free', async () => {
    const model = createModel(spec, data, new Rng(1));
    const start = tf.memory().numTensors;
    const original = await readParams(model);
    const snap = snapshotParams(model);
    perturb(model);
    const moved = await readParams(model);
    expect(moved.get('layer1.0.conv1.weight')).not.toEqual(original.get('layer1.0.conv1.weight'));
    restoreParams(model, snap);
    expect(await readParams(model)).toEqual(original);
    perturb(model);
    restoreParams(model, snap);
    expect(await readParams(model)).toEqual(original);
    disposeSnapshot(snap);
    expect(tf.memory().numTensors).toBe(start);
    model.dispose();
  });

  it('readParams / writeParams round-trip by name, and copy rather than alias', async () => {
    const a = createModel(spec, data, new Rng(1));
    const b = createModel(spec, data, new Rng(2));
    const values = await readParams(a);
    values.get('conv1.weight')![0] += 1;
    expect((await a.params[0].variable.data())[0]).not.toBe(values.get('conv1.weight')![0]);
    writeParams(b, values);
    expect(await readParams(b)).toEqual(values);
    values.delete('bn.bias');
    expect(() => writeParams(b, values)).toThrow(/no value for bn.bias/);
    const other = createModel({ ...spec, width: 3 }, data, new Rng(1));
    const snap = snapshotParams(other);
    const before = await readParams(a);
    expect(() => restoreParams(a, snap)).toThrow(/does not fit/);
    expect(await readParams(a)).toEqual(before);
    disposeSnapshot(snap);
    [a, b, other].forEach((m) => m.dispose());
  });
});
