import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { attackKey, type AttackSpec, type Norm } from '../spec';
import { pgd } from './attack';
import { evalStepSizes } from './evalStepSizes';
import { evalSubset, evaluateModel } from './evaluate';
import { disposeBatch, toDeviceBatch } from './objective';
import { blobSplit, trainedMlpInSuite } from './testFixtures';
import { examplesAsFloat } from '../data/dataset';

describe('evaluation', () => {
  // 4 classes, noisier blobs: a trained MLP that small attacks can already hurt.
  const data = blobSplit('image', 96, 60, 4, 0.3);
  const trained = trainedMlpInSuite(data);

  /** Robust accuracy of one attack alone, so every call starts from the same seeded starts. */
  const robust = async (norm: Norm, eps: number, pgdSteps: number) => {
    const a: AttackSpec = { norm, eps };
    const s = await evaluateModel(trained().model, data.test, {
      attacks: [a],
      pgdSteps,
      pgdSchedule: 'cosine',
      batchSize: 16,
      seed: 5,
    });
    return { clean: s.cleanAcc, robust: s.robust[attackKey(a)] };
  };

  it.each([
    ['linf', [0, 0.02, 0.05, 0.1, 0.2]],
    ['l2', [0, 0.5, 1, 2, 4]],
  ] as const)(
    '%s robust accuracy does not grow with eps, equals clean at 0 and falls to ~0 at a large eps',
    async (norm, epss) => {
      const acc = [];
      for (const eps of epss) acc.push(await robust(norm, eps, 5));
      expect(acc[0].clean).toBeGreaterThan(0.8);
      expect(acc[0].robust).toBe(acc[0].clean);
      for (let i = 1; i < acc.length; i++) expect(acc[i].robust).toBeLessThanOrEqual(acc[i - 1].robust);
      // ...and does fall over the range (a flat curve would make the check empty).
      expect(acc.at(-1)!.robust).toBeLessThan(acc[0].clean - 0.3);
      const huge = await robust(norm, norm === 'linf' ? 1 : 30, 10);
      expect(huge.robust).toBeLessThanOrEqual(0.05);
    },
  );

  it('robust accuracy does not grow with the number of PGD steps', async () => {
    const acc = [];
    for (const k of [1, 2, 5, 10]) acc.push((await robust('linf', 0.05, k)).robust);
    for (let i = 1; i < acc.length; i++) expect(acc[i]).toBeLessThanOrEqual(acc[i - 1]);
    expect(acc.at(-1)).toBeLessThan(acc[0]);
  });

  /** A short evaluation at one budget; each test adds its batch size. */
  const pgd2 = {
    attacks: [{ norm: 'linf', eps: 0.05 } as AttackSpec],
    pgdSteps: 2,
    pgdSchedule: 'cosine' as const,
    seed: 5,
  };

  it('counts only real rows of a padded last batch, repeats exactly, leaks nothing', async () => {
    const whole = await evaluateModel(trained().model, data.test, { ...pgd2, batchSize: 60 });
    const before = tf.memory().numTensors;
    // 60 = 3 x 16 + 12: the last batch is padded with 4 zero rows.
    const padded = await evaluateModel(trained().model, data.test, { ...pgd2, batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect(padded.cleanAcc).toBe(whole.cleanAcc);
    expect(padded.cleanLoss).toBeCloseTo(whole.cleanLoss, 5);
    expect(await evaluateModel(trained().model, data.test, { ...pgd2, batchSize: 16 })).toEqual(padded);
  });

  it('tells its caller it is alive, and what it does, through the final extras too (APGD, probe)', async () => {
    const o = { ...pgd2, batchSize: 16 };
    const ticks = async (final?: { apgd: { enabled: boolean; steps: number; restarts: number; targets: number } }) => {
      const seen: string[] = [];
      await evaluateModel(trained().model, data.test, { ...o, final, onBatch: (what) => seen.push(what) });
      return seen;
    };
    const pgdBatches = Math.ceil(data.test.n / 16);
    expect(await ticks()).toEqual(Array(pgdBatches).fill('evaluation: clean and PGD-2'));
    // The probe ticks once a batch; the cascade once an APGD iteration, at least APGD-CE's 3.
    expect(await ticks({ apgd: { enabled: false, steps: 3, restarts: 1, targets: 1 } })).toEqual([
      ...Array(pgdBatches).fill('final evaluation: clean and PGD-2'),
      ...Array(pgdBatches).fill('final evaluation: attack checks'),
    ]);
    const all = await ticks({ apgd: { enabled: true, steps: 3, restarts: 1, targets: 1 } });
    expect(all.filter((w) => w === 'final evaluation: APGD L∞ 0.05').length).toBeGreaterThanOrEqual(3);
    expect(all).toHaveLength(2 * pgdBatches + all.filter((w) => w.includes('APGD')).length);
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

  /**
   * Robust accuracy of a PGD attack run by hand with a given step size, on the whole test set as one
   * batch, from the same seeded starts evaluateModel draws (Rng(seed).derive('eval-attack')).
   */
  const byHand = async (a: AttackSpec, steps: number, stepSize: number | number[], seed = 5) => {
    const set = data.test;
    const batch = toDeviceBatch(examplesAsFloat(set), Int32Array.from(set.y), set.shape, set.numClasses);
    const xAdv = pgd(trained().model, batch.x, batch.oneHot, {
      ...a,
      stepSize,
      steps,
      bounded: set.bounded,
      mode: 'eval',
      rng: new Rng(seed).derive('eval-attack'),
      keepFirstMiss: true,
    });
    const correct = tf.tidy(() =>
      tf.sum(tf.cast(tf.equal(tf.argMax(trained().model.forward(xAdv, 'eval'), -1), batch.labels), 'float32')),
    );
    const count = (await correct.data())[0];
    tf.dispose([correct, xAdv]);
    disposeBatch(batch);
    return count / set.n;
  };
  /** evaluateModel's robust accuracy, one batch of the whole test set. */
  const evaluated = async (a: AttackSpec, pgdSteps: number, seed = 5) =>
    (
      await evaluateModel(trained().model, data.test, {
        attacks: [a],
        pgdSteps,
        pgdSchedule: 'cosine',
        batchSize: data.test.n,
        seed,
      })
    ).robust[attackKey(a)];

  it.each([1, 2, 4, 10, 20, 40])('a %i-step attack steps by the cosine schedule (evalStepSizes)', async (k) => {
    for (const a of [
      { norm: 'linf', eps: 0.05 },
      { norm: 'l2', eps: 1 },
    ] as AttackSpec[]) {
      expect(await evaluated(a, k)).toBe(await byHand(a, k, evalStepSizes(a.eps, k, 'cosine')));
    }
  });

  it('the scheduled PGD-10 is at least as strong as PGD-10 at a fixed eps/4 (Madry), and stronger somewhere', async () => {
    let stronger = 0;
    for (const a of [
      { norm: 'linf', eps: 0.02 },
      { norm: 'linf', eps: 0.05 },
      { norm: 'linf', eps: 8 / 255 },
      { norm: 'linf', eps: 0.1 },
      { norm: 'l2', eps: 0.5 },
      { norm: 'l2', eps: 1 },
      { norm: 'l2', eps: 2 },
    ] as AttackSpec[]) {
      const now = await evaluated(a, 10);
      const fixed = await byHand(a, 10, a.eps / 4);
      expect(now, `${a.norm} ${a.eps}`).toBeLessThanOrEqual(fixed);
      if (now < fixed) stronger++;
    }
    expect(stronger).toBeGreaterThan(0);
  });

  it('a 1-step attack is at least as strong as a 1-step attack of step eps/4', async () => {
    let stronger = 0;
    for (const a of [
      { norm: 'linf', eps: 0.02 },
      { norm: 'linf', eps: 0.05 },
      { norm: 'linf', eps: 0.1 },
      { norm: 'l2', eps: 0.5 },
      { norm: 'l2', eps: 1 },
      { norm: 'l2', eps: 2 },
    ] as AttackSpec[]) {
      const now = await evaluated(a, 1);
      const before = await byHand(a, 1, a.eps / 4);
      expect(now, `${a.norm} ${a.eps}`).toBeLessThanOrEqual(before);
      if (now < before) stronger++;
    }
    // ... and strictly stronger somewhere: the longer step reaches the edge of the ball.
    expect(stronger).toBeGreaterThan(0);
  });
});
