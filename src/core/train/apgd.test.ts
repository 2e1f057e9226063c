import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { attackKey, type AttackSpec, type Norm } from '../spec';
import { apgdCheckpoints } from './apgd';
import { autoAttackAccuracy } from './autoAttack';
import { evaluateModel } from './evaluate';
import { blobSplit, trainedMlpInSuite } from './testFixtures';

describe('APGD checkpoints', () => {
  it("are the paper's: w_j = ceil(p_j N), p = 0.22, 0.41, 0.57, 0.70, 0.80, 0.87, 0.93, 0.99 for N = 100 (0-based: the step before)", () => {
    expect(apgdCheckpoints(100)).toEqual([21, 40, 56, 69, 79, 86, 92, 98]);
  });
  it('keep at least one step between checks for a short run, and stay inside it', () => {
    const c = apgdCheckpoints(10);
    expect(c[0]).toBe(1);
    for (let i = 1; i < c.length; i++) expect(c[i] - c[i - 1]).toBeGreaterThanOrEqual(1);
    expect(c.at(-1)!).toBeLessThan(10);
  });
});

describe('APGD cascade on a trained model', () => {
  // 4 classes (the targeted DLR loss needs 4), noisy blobs: a trained MLP that small attacks hurt.
  const data = blobSplit('image', 96, 60, 4, 0.3);
  const trained = trainedMlpInSuite(data);

  const apgd = (norm: Norm, eps: number, seed = 3) =>
    autoAttackAccuracy(trained().model, data.test, {
      norm,
      eps,
      steps: 20,
      restarts: 1,
      targets: 3,
      batchSize: 16,
      rng: new Rng(seed),
    });

  it.each([
    ['linf', [0.02, 0.05, 0.1]],
    ['l2', [0.5, 1, 2]],
  ] as const)('%s: at least as strong as PGD-10 at every eps, and breaks more than nothing', async (norm, epss) => {
    for (const eps of epss) {
      const a: AttackSpec = { norm, eps };
      const pgd10 = (
        await evaluateModel(trained().model, data.test, {
          attacks: [a],
          pgdSteps: 10,
          pgdSchedule: 'cosine',
          batchSize: 16,
          seed: 5,
        })
      ).robust[attackKey(a)];
      const strong = await apgd(norm, eps);
      expect(strong).toBeLessThanOrEqual(pgd10);
      if (eps === epss[1]) expect(strong).toBeLessThan(0.95);
    }
  });

  it('equals clean accuracy at eps 0 and is repeatable with a seed', async () => {
    const clean = (
      await evaluateModel(trained().model, data.test, {
        attacks: [],
        pgdSteps: 1,
        pgdSchedule: 'cosine',
        batchSize: 16,
        seed: 5,
      })
    ).cleanAcc;
    expect(await apgd('linf', 0)).toBe(clean);
    expect(await apgd('linf', 0.05, 11)).toBe(await apgd('linf', 0.05, 11));
  });

  it('leaves no tensors behind', async () => {
    await apgd('linf', 0.05);
    const before = tf.memory().numTensors;
    await apgd('l2', 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
