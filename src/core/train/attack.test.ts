import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { createModel } from '../model/createModel';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import type { Norm } from '../spec';
import { pgd, randomStart } from './attack';
import { countCorrect, crossEntropy, disposeBatch, toDeviceBatch, type DeviceBatch } from './objective';
import { blobs, blobSplit, trainedMlp } from './testFixtures';
import type { Trainer } from './trainer';

describe.each(['wasm', 'cpu'] as const)('PGD on %s', (backend) => {
  let model: Model;
  let batch: DeviceBatch;
  const data = blobs('image', 16, 3);
  beforeAll(async () => {
    await useBackend(backend);
    model = createModel({ name: 'mlp', width: 8, depth: 1 }, data, new Rng(1).derive('init'));
    batch = toDeviceBatch(data.x, Int32Array.from(data.y), data.shape, data.numClasses);
  });
  afterAll(() => {
    model.dispose();
    disposeBatch(batch);
  });

  const attack = (norm: Norm, eps: number, steps: number, stepSize = eps / 4) =>
    pgd(model, batch.x, batch.oneHot, { norm, eps, stepSize, steps, bounded: true, mode: 'eval', rng: new Rng(9) });

  it.each([
    ['linf', 0.03],
    ['l2', 0.5],
  ] as const)('%s: stays in the eps-ball and in [0, 1], and raises the loss', async (norm, eps) => {
    const adv = attack(norm, eps, 5);
    const delta = (await tf.sub(adv, batch.x).data()) as Float32Array;
    const values = await adv.data();
    const dim = delta.length / data.n;
    for (let b = 0; b < data.n; b++) {
      const d = delta.subarray(b * dim, (b + 1) * dim);
      const size = norm === 'linf' ? Math.max(...d.map(Math.abs)) : Math.sqrt(d.reduce((s, v) => s + v * v, 0));
      expect(size).toBeLessThanOrEqual(eps + 1e-6);
      // The attack uses its budget (not a trivially small perturbation).
      expect(size).toBeGreaterThan(eps / 4);
    }
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const [clean, robust] = await Promise.all(
      [batch.x, adv].map((x) =>
        tf
          .tidy(() => crossEntropy(model.forward(x, 'eval'), batch.oneHot))
          .data()
          .then((v) => v[0]),
      ),
    );
    expect(robust).toBeGreaterThan(clean);
    adv.dispose();
  });

  it.each(['linf', 'l2'] as const)('%s: eps 0 returns the inputs bit-exactly', async (norm) => {
    const adv = attack(norm, 0, 3, 0.1);
    expect(await adv.data()).toEqual(await batch.x.data());
    adv.dispose();
  });

  it('leaves no tensors behind and refuses BatchNorm train mode', () => {
    const before = tf.memory().numTensors;
    tf.dispose(attack('l2', 0.3, 3));
    expect(tf.memory().numTensors).toBe(before);
    expect(() =>
      pgd(model, batch.x, batch.oneHot, {
        norm: 'linf',
        eps: 0.1,
        stepSize: 0.1,
        steps: 1,
        bounded: true,
        mode: 'train',
        rng: new Rng(1),
      }),
    ).toThrow(/train/);
  });
});

describe('random start', () => {
  it('is uniform in the linf box', () => {
    const linf = randomStart('linf', 0.1, 50, 20, new Rng(1));
    expect(Math.max(...linf.map(Math.abs))).toBeLessThanOrEqual(0.1);
    expect(Math.max(...linf.map(Math.abs))).toBeGreaterThan(0.09);
  });

  it('is uniform in the l2 ball: (r / eps)^d is U[0, 1], and directions have no preferred axis', () => {
    const [n, d, eps] = [4000, 20, 0.5];
    const l2 = randomStart('l2', eps, n, d, new Rng(1));
    const radii = Array.from({ length: n }, (_, b) =>
      Math.sqrt(l2.subarray(b * d, (b + 1) * d).reduce((s, v) => s + v * v, 0)),
    );
    expect(Math.max(...radii)).toBeLessThanOrEqual(eps + 1e-6);
    // Volume below radius r is (r / eps)^d of the ball's: uniform in the ball <=> u = (r / eps)^d ~ U[0, 1].
    // (The former start, radius eps * U, gives E[u] = 1 / (d + 1) ~ 0.05.)
    const u = radii.map((r) => (r / eps) ** d).sort((a, b) => a - b);
    const ks = Math.max(...u.map((v, i) => Math.max(Math.abs(v - i / n), Math.abs(v - (i + 1) / n))));
    // Kolmogorov-Smirnov at the 0.1 % level for n = 4000: 1.95 / sqrt(n).
    expect(ks).toBeLessThan(1.95 / Math.sqrt(n));
    // Each coordinate's mean is ~0 (no preferred direction): sd of a mean over n is ~ eps / sqrt(d n).
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let b = 0; b < n; b++) m += l2[b * d + j] / n;
      expect(Math.abs(m)).toBeLessThan((5 * eps) / Math.sqrt(d * n));
    }
    expect(randomStart('l2', 0.5, 2, 3, new Rng(4))).toEqual(randomStart('l2', 0.5, 2, 3, new Rng(4)));
  });
});

describe('PGD on a saturated softmax', () => {
  // A trained MLP whose last layer is scaled up: the same decisions, logit margins in the hundreds.
  // In float32 the softmax of every other class then underflows, so the cross-entropy's input
  // gradient is exactly 0 and sign(0) = 0 never moves; an attack must still break it at 64/255.
  const data = blobs('image', 48, 3, 4, 0.3);
  let trained: Trainer;
  beforeAll(async () => {
    await useBackend('wasm');
    trained = await trainedMlp(blobSplit('image', 96, 48, 4, 0.3));
    const last = trained.model.params.filter((p) => p.kind === 'dense' || p.kind === 'bias').slice(-2);
    for (const p of last) p.variable.assign(tf.tidy(() => tf.mul(p.variable, 400)));
  });
  afterAll(() => trained.dispose());

  it('L-inf 64/255 leaves no example standing', async () => {
    const batch = toDeviceBatch(data.x, Int32Array.from(data.y), data.shape, data.numClasses);
    const adv = pgd(trained.model, batch.x, batch.oneHot, {
      norm: 'linf',
      eps: 64 / 255,
      stepSize: 16 / 255,
      steps: 10,
      bounded: true,
      mode: 'eval',
      rng: new Rng(2),
    });
    const standing = tf.tidy(() => countCorrect(trained.model.forward(adv, 'eval'), batch.labels));
    expect((await standing.data())[0]).toBe(0);
    tf.dispose([adv, standing]);
    disposeBatch(batch);
  });
});
