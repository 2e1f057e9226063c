import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { Rng } from '../rng';
import { createModel } from './createModel';
import { readParams } from './paramUtils';

const spec = { name: 'preact-resnet10' as const, width: 2, depth: 1 };
const data = { shape: [6, 6, 1], numClasses: 3, mean: [0.5], std: [0.25] };

describe('paramUtils', () => {
  beforeAll(() => useBackend('cpu'));

  it('readParams copies rather than aliases, by name, buffers included', async () => {
    const a = createModel(spec, data, new Rng(1));
    const values = await readParams(a);
    expect([...values.keys()]).toEqual([...a.params, ...a.buffers].map((p) => p.name));
    values.get('conv1.weight')![0] += 1;
    expect((await a.params[0].variable.data())[0]).not.toBe(values.get('conv1.weight')![0]);
    a.dispose();
  });
});
