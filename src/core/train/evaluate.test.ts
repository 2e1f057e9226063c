import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { attackKey, type AttackSpec, type Norm } from '../spec';
import { evalSubset, evaluateModel } from './evaluate';
import { blobSplit, tinySpec } from './testFixtures';
import { createTrainer, runTrainer, type Trainer } from './trainer';

describe('evaluation', () => {
  // 4 classes, noisier blobs: a trained MLP that small attacks can already hurt.
  const data = blobSplit('image', 96, 60, 4, 0.3);
  let trained: Trainer;
  beforeAll(async () => {
    await useBackend('wasm');
    trained = createTrainer(tinySpec({ name: 'mlp', width: 16, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], { epochs: 3, testSize: 60 }), 'sgd', data);
    await runTrainer(trained);
  });
  afterAll(() => trained.dispose());

  /** Robust accuracy of one attack alone, so every call starts from the same seeded starts. */
  const robust = async (norm: Norm, eps: number, pgdSteps: number) => {
    const a: AttackSpec = { norm, eps };
    const s = await evaluateModel(trained.model, data.test, { attacks: [a], pgdSteps, batchSize: 16, seed: 5 });
    return { clean: s.cleanAcc, robust: s.robust[attackKey(a)] };
  };

  it.each([
    ['linf', [0, 0.02, 0.05, 0.1, 0.2]],
    ['l2', [0, 0.5, 1, 2, 4]],
  ] as const)('%s robust accuracy does not grow with eps, equals clean at 0 and falls to ~0 at a large eps', async (norm, epss) => {
    const acc = [];
    for (const eps of epss) acc.push(await robust(norm, eps, 5));
    expect(acc[0].clean).toBeGreaterThan(0.8);
    expect(acc[0].robust).toBe(acc[0].clean);
    for (let i = 1; i < acc.length; i++) expect(acc[i].robust).toBeLessThanOrEqual(acc[i - 1].robust);
    // ...and does fall over the range (a flat curve would make the check empty).
    expect(acc.at(-1)!.robust).toBeLessThan(acc[0].clean - 0.3);
    const huge = await robust(norm, norm === 'linf' ? 1 : 30, 10);
    expect(huge.robust).toBeLessThanOrEqual(0.05);
  });

  it('robust accuracy does not grow with the number of PGD steps', async () => {
    const acc = [];
    for (const k of [1, 2, 5, 10]) acc.push((await robust('linf', 0.05, k)).robust);
    for (let i = 1; i < acc.length; i++) expect(acc[i]).toBeLessThanOrEqual(acc[i - 1]);
    expect(acc.at(-1)).toBeLessThan(acc[0]);
  });

  it('counts only real rows of a padded last batch, repeats exactly, leaks nothing', async () => {
    const o = { attacks: [{ norm: 'linf', eps: 0.05 } as AttackSpec], pgdSteps: 2, seed: 5 };
    const whole = await evaluateModel(trained.model, data.test, { ...o, batchSize: 60 });
    const before = tf.memory().numTensors;
    // 60 = 3 x 16 + 12: the last batch is padded with 4 zero rows.
    const padded = await evaluateModel(trained.model, data.test, { ...o, batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect(padded.cleanAcc).toBe(whole.cleanAcc);
    expect(padded.cleanLoss).toBeCloseTo(whole.cleanLoss, 5);
    expect(await evaluateModel(trained.model, data.test, { ...o, batchSize: 16 })).toEqual(padded);
  });

  it('takes a fixed seeded stratified subset of the test set', () => {
    const a = evalSubset(data.test, 20, 3);
    expect(a.n).toBe(20);
    expect(evalSubset(data.test, 20, 3).x).toEqual(a.x);
    expect(evalSubset(data.test, 20, 4).x).not.toEqual(a.x);
    const counts = [0, 0, 0, 0];
    a.y.forEach((y) => counts[y]++);
    expect(counts).toEqual([5, 5, 5, 5]);
    expect(evalSubset(data.test, 60, 3)).toBe(data.test);
  });
});
