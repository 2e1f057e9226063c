// The jax-js peer in Node on jax-js's wasm device (its other Node device, cpu, is interpreted JS for
// debugging and too slow for a unit test: one tiny SGD step takes minutes): the model matches the lab's parameter count, every method steps to a finite loss, SGD
// lowers the loss on its fixed batch, and a device Node lacks gives a sentence, not a stepper.
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/core/model/createModel';
import { countParams } from '../../src/core/model/paramUtils';
import { Rng } from '../../src/core/rng';
import { createJaxStepper, jaxPeer, type JaxStepper } from './jaxPeer';
import type { PeerMethod } from './peer';

const tiny = { width: 4, batch: 8, seed: 1 };

async function losses(method: PeerMethod, backend: string, steps: number): Promise<number[]> {
  const s = (await jaxPeer.create(tiny, method, backend)) as JaxStepper | string;
  if (typeof s === 'string') throw new Error(s);
  try {
    const out: number[] = [];
    for (let i = 0; i < steps; i++) {
      await s.step();
      out.push(s.lastLoss);
    }
    return out;
  } finally {
    s.dispose();
  }
}

describe('jax-js peer', () => {
  it.each([4, 16])("has the lab's preact-resnet10 parameter count at width %i", async (width) => {
    expect(typeof (await jaxPeer.create(tiny, 'sgd', 'wasm'))).not.toBe('string');
    const lab = createModel(
      { name: 'preact-resnet10', width, depth: 1 },
      { shape: [32, 32, 3], numClasses: 10, mean: [0.5], std: [0.29] },
      new Rng(1),
    );
    const peer = createJaxStepper({ ...tiny, width }, 'sgd', 'wasm');
    try {
      expect(peer.paramCount).toBe(countParams(lab));
    } finally {
      peer.dispose();
      lab.dispose();
    }
  });

  describe('on jax-js wasm', () => {
    const backend = 'wasm';
    const run: Partial<Record<PeerMethod, number[]>> = {};
    beforeAll(async () => {
      run.sgd = await losses('sgd', backend, 4);
      run.sam = await losses('sam', backend, 2);
      run['at-pgd5'] = await losses('at-pgd5', backend, 2);
    });

    it('every method steps to a finite loss', () => {
      for (const l of Object.values(run)) expect(l.every(Number.isFinite)).toBe(true);
    });

    it('SGD lowers the loss on its fixed batch', () => {
      const l = run.sgd!;
      expect(l[3]).toBeLessThan(l[0] - 0.1);
    });

    it("SAM reports the loss at w (SGD's first), AT the higher loss on its PGD batch", () => {
      expect(run.sam![0]).toBeCloseTo(run.sgd![0], 4);
      expect(run['at-pgd5']![0]).toBeGreaterThan(run.sgd![0] + 0.1);
    });
  });

  it('answers a sentence for a device Node lacks or jax-js does not have', async () => {
    expect(await jaxPeer.create(tiny, 'sgd', 'webgpu')).toMatch(/webgpu/);
    expect(await jaxPeer.create(tiny, 'sgd', 'tensorflow')).toMatch(/no tensorflow device/);
  });
});
