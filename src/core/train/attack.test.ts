import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { examplesAsFloat } from '../data/dataset';
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
    batch = toDeviceBatch(examplesAsFloat(data), Int32Array.from(data.y), data.shape, data.numClasses);
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

  it('takes one step size per step: a constant list is the number, each step uses its own, a wrong length is refused', async () => {
    const o = { norm: 'linf', eps: 0.1, bounded: true, mode: 'eval', rng: new Rng(4) } as const;
    const run = async (stepSize: number | number[], steps: number) => {
      const adv = pgd(model, batch.x, batch.oneHot, { ...o, rng: new Rng(4), stepSize, steps });
      const d = await adv.data();
      adv.dispose();
      return d;
    };
    expect(await run([0.03, 0.03, 0.03], 3)).toEqual(await run(0.03, 3));
    // A zero first step: the attack is a 2-step one from the same start.
    expect(await run([0, 0.03, 0.03], 3)).toEqual(await run(0.03, 2));
    expect(await run([0.03, 0.01, 0.03], 3)).not.toEqual(await run(0.03, 3));
    expect(() => pgd(model, batch.x, batch.oneHot, { ...o, stepSize: [0.03, 0.03], steps: 3 })).toThrow(/per step/);
    expect(() => pgd(model, batch.x, batch.oneHot, { ...o, stepSize: 0.03, steps: 2.5 })).toThrow(/integer steps/);
    expect(() => pgd(model, batch.x, batch.oneHot, { ...o, stepSize: [0.03, -1], steps: 2 })).toThrow(/>= 0/);
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

describe('PGD keepFirstMiss', () => {
  // A model whose class flips back and forth along every ascent direction: logits [10 cos(30 m), 0]
  // with m the mean pixel, all labels class 0. A sign step moves every pixel alike, so iterates
  // jump along m across the cosine's periods and can land back on class 0 after leaving it.
  const n = 64;
  const shape = [n, 2, 2, 1];
  const forward = (x: tf.Tensor) =>
    tf.tidy(() => {
      const m = tf.mean(tf.reshape(x, [x.shape[0], -1]), 1, true);
      return tf.concat([tf.mul(tf.cos(tf.mul(m, 30)), 10), tf.zerosLike(m)], 1);
    });
  const model = { forward, numClasses: 2 } as unknown as Model;
  let x: tf.Tensor;
  let oneHot: tf.Tensor2D;
  let labels: tf.Tensor;
  beforeAll(async () => {
    await useBackend('wasm');
    x = tf.tensor(new Rng(3).fillUniform(new Float32Array(n * 4), 0.2, 0.8), shape);
    labels = tf.zeros([n], 'int32');
    oneHot = tf.oneHot(labels as tf.Tensor1D, 2) as tf.Tensor2D;
  });
  afterAll(() => tf.dispose([x, oneHot, labels]));

  it('counts an example broken exactly when some iterate, the start included, is misclassified', async () => {
    const steps = 8;
    const run = (k: number, keepFirstMiss = false) =>
      pgd(model, x, oneHot, {
        norm: 'linf',
        eps: 0.1,
        stepSize: 0.07,
        steps: k,
        bounded: true,
        mode: 'eval',
        rng: new Rng(9),
        keepFirstMiss,
      });
    const wrong = async (adv: tf.Tensor) => {
      const w = tf.tidy(() => tf.notEqual(tf.argMax(forward(adv), -1), labels));
      const out = Array.from(await w.data());
      tf.dispose([w, adv]);
      return out;
    };
    // The same seed gives the same start, so pgd with k steps is the k-th iterate of one trajectory.
    const iterates = await Promise.all(Array.from({ length: steps + 1 }, (_, k) => wrong(run(k))));
    const any = iterates[0].map((_, i) => (iterates.some((w) => w[i] === 1) ? 1 : 0));
    const last = iterates[steps];
    const before = tf.memory().numTensors;
    const kept = await wrong(run(steps, true));
    expect(tf.memory().numTensors, 'no tensors left behind').toBe(before);
    expect(kept, 'broken iff some iterate was misclassified').toEqual(any);
    expect(
      kept.filter(Boolean).length,
      'examples the last iterate gave back (the case for keeping the first miss)',
    ).toBeGreaterThan(last.filter(Boolean).length);
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
    const batch = toDeviceBatch(examplesAsFloat(data), Int32Array.from(data.y), data.shape, data.numClasses);
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
