import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { BatchSampler } from '../data/batches';
import type { Dataset } from '../data/dataset';
import { applyBatchStats, createBatchStatsCollector } from '../model/batchStats';
import { createModel } from '../model/createModel';
import { readParams } from '../model/paramUtils';
import { Rng } from '../rng';
import type { ModelSpec, RunSpec } from '../spec';
import { pgd } from './attack';
import { evalSubset, evaluateModel } from './evaluate';
import { disposeBatch, toDeviceBatch } from './objective';
import { blobs, blobSplit, tinySpec } from './testFixtures';
import type { HistoryPoint } from './results';
import { BN_MOMENTUM, createTrainer, runTrainer, type Trainer } from './trainer';

// evaluateModel as it is, recording what each evaluation was asked to score.
vi.mock('./evaluate', async (importOriginal) => {
  const m = await importOriginal<typeof import('./evaluate')>();
  return { ...m, evaluateModel: vi.fn(m.evaluateModel) };
});

const RESNET: ModelSpec = { name: 'preact-resnet10', width: 2, depth: 1 };
const MLP: ModelSpec = { name: 'mlp', width: 16, depth: 1 };
const SGD: RunSpec = { id: 'sgd', method: 'sgd' };
const SAM: RunSpec = { id: 'sam', method: 'sam', rho: 0.1 };
const AT: RunSpec = { id: 'at', method: 'at', norm: 'linf', eps: 0.05, stepSize: 0.02, steps: 2 };

async function steps(t: Trainer, n: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 0; i < n; i++) losses.push((await t.step()).loss);
  return losses;
}

describe.each(['wasm', 'cpu'] as const)('trainer on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  const data = blobSplit('image');

  it('SAM with rho 0 and AT with eps 0 give exactly the losses and weights of SGD', async () => {
    const runs: RunSpec[] = [
      SGD,
      { id: 'sam0', method: 'sam', rho: 0 },
      { id: 'at0', method: 'at', norm: 'linf', eps: 0, stepSize: 0.01, steps: 2 },
      { id: 'at0l2', method: 'at', norm: 'l2', eps: 0, stepSize: 0.1, steps: 1 },
    ];
    const spec = tinySpec(RESNET, runs);
    const out = [];
    for (const run of runs) {
      const t = createTrainer(spec, run.id, data);
      out.push({ losses: await steps(t, 4), weights: await readParams(t.model) });
      t.dispose();
    }
    for (const o of out.slice(1)) {
      expect(o.losses).toEqual(out[0].losses);
      expect(o.weights).toEqual(out[0].weights);
    }
    // The weights moved (a trivially equal pair would prove nothing).
    const init = createModel(RESNET, data.train, new Rng(spec.seed).derive('init'));
    expect(await readParams(init)).not.toEqual(out[0].weights);
    init.dispose();
  });

  it.each([SGD, SAM, AT])('$method updates the BatchNorm running stats exactly once per step', async (run) => {
    const spec = tinySpec(RESNET, [run]);
    const t = createTrainer(spec, run.id, data);
    // The same first step by hand: the first batch, the shared init, one 'train' pass on the
    // inputs the method trains on (x, or x_adv from PGD with BatchNorm frozen), one update.
    const ref = createModel(RESNET, data.train, new Rng(spec.seed).derive('init'));
    const b = new BatchSampler(data.train, spec.train.batchSize, new Rng(spec.seed), { augment: false }).next();
    const batch = toDeviceBatch(b.x, b.y, data.train.shape, data.train.numClasses);
    const x =
      run.method === 'at'
        ? pgd(ref, batch.x, batch.oneHot, {
            ...run,
            bounded: true,
            mode: 'train-frozen',
            rng: new Rng(spec.seed).derive('at-start'),
          })
        : batch.x.clone();
    const stats = createBatchStatsCollector();
    tf.dispose(ref.forward(x, 'train', stats.sink));
    applyBatchStats(ref, stats.collected, BN_MOMENTUM);
    tf.dispose(x);
    disposeBatch(batch);

    await t.step();
    const got = await readParams(t.model);
    const want = await readParams(ref);
    for (const { name } of ref.buffers) {
      const g = got.get(name)!;
      const w = want.get(name)!;
      g.forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThan(1e-5));
    }
    // Evaluation (clean and PGD) leaves them alone.
    await t.evaluate();
    const again = await readParams(t.model);
    for (const { name } of ref.buffers) expect(again.get(name)).toEqual(got.get(name));
    ref.dispose();
    t.dispose();
  });

  it('leaks no tensors over 50 steps of each method and over repeated evaluations', async () => {
    // Per-op overhead dominates here: the BatchNorm ResNet on wasm, the MLP on the slower cpu backend.
    const spec = tinySpec(backend === 'wasm' ? RESNET : MLP, [SGD, SAM, AT], {
      epochs: 10,
      batchSize: 8,
      testSize: 16,
    });
    for (const run of spec.runs) {
      const t = createTrainer(spec, run.id, data);
      await t.step();
      await t.evaluate();
      const before = tf.memory().numTensors;
      await steps(t, 50);
      expect(tf.memory().numTensors).toBe(before);
      for (let i = 0; i < 3; i++) await t.evaluate();
      expect(tf.memory().numTensors).toBe(before);
      t.dispose();
    }
  });
});

describe('trainer', () => {
  beforeAll(() => useBackend('wasm'));
  const data = blobSplit('image');

  it('repeats its history for a seed and changes with the seed', async () => {
    const history = async (seed: number) => {
      const t = createTrainer(tinySpec(MLP, [SAM], { seed, epochs: 2 }), 'sam', data);
      const r = await runTrainer(t);
      t.dispose();
      return r.history;
    };
    const a = await history(1);
    expect(a.length).toBe(3);
    expect(await history(1)).toEqual(a);
    expect(await history(2)).not.toEqual(a);
  });

  it.each([SGD, SAM, AT])('$method learns separable blobs: clean accuracy >= 0.9 within 2 epochs', async (run) => {
    const t = createTrainer(tinySpec(MLP, [run], { epochs: 2 }), run.id, data);
    const r = await runTrainer(t);
    t.dispose();
    expect(r.status).toBe('done');
    expect(r.history[0].cleanAcc).toBeLessThan(0.7);
    expect(r.history.at(-1)!.cleanAcc).toBeGreaterThanOrEqual(0.9);
    expect(r.history.at(-1)!.trainLoss).toBeLessThan(r.history[1].trainLoss);
    expect(r.msPerStep).toBeGreaterThan(0);
  });

  it('evaluates at step 0, every `every` epochs and at the end, with train means since the last point', async () => {
    // 96 examples / 16 = 6 steps per epoch; 2.5 epochs = 15 steps.
    const spec = tinySpec(MLP, [SGD], { epochs: 2.5 });
    const check = async (every: number, want: number[]) => {
      spec.eval.every = every;
      const t = createTrainer(spec, 'sgd', data);
      const records: number[] = [];
      const r = await runTrainer(t, { onStep: (s) => records.push(s.loss) });
      t.dispose();
      expect(r.history.map((p) => p.step)).toEqual(want);
      expect(r.history[0].trainLoss).toBeNaN();
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      expect(r.history[1].trainLoss).toBeCloseTo(mean(records.slice(0, want[1])), 6);
      expect(r.history.at(-1)!.trainLoss).toBeCloseTo(mean(records.slice(want.at(-2), want.at(-1))), 6);
      expect(r.history.at(-1)!.epoch).toBe(2.5);
    };
    await check(1, [0, 6, 12, 15]);
    await check(0.5, [0, 3, 6, 9, 12, 15]);
    await check(5, [0, 15]);
  });

  it('stops on a non-finite loss with status diverged; the next run is unaffected', async () => {
    const wild = blobSplit('vector');
    wild.train.x.forEach((v, i) => (wild.train.x[i] = v * 1e19));
    const spec = tinySpec({ name: 'linear', width: 1, depth: 1 }, [SGD], { epochs: 20 });
    spec.train.lr = 10;
    const t = createTrainer(spec, 'sgd', wild);
    const r = await runTrainer(t);
    expect(r.status).toBe('diverged');
    expect(t.stepsDone).toBeLessThan(t.totalSteps);
    await expect(t.step()).rejects.toThrow(/diverged/);
    t.dispose();
    const ok = createTrainer(
      tinySpec({ name: 'linear', width: 1, depth: 1 }, [SGD], { epochs: 2 }),
      'sgd',
      blobSplit('vector'),
    );
    expect((await runTrainer(ok)).status).toBe('done');
    ok.dispose();
  });

  it('a run with its own huge learning rate diverges while its sibling in the same experiment trains', async () => {
    const spec = tinySpec(
      MLP,
      [
        { id: 'wild', method: 'sgd', lr: 1e6 },
        { id: 'calm', method: 'sgd' },
      ],
      { epochs: 2 },
    );
    const statuses: string[] = [];
    for (const id of ['wild', 'calm']) {
      const t = createTrainer(spec, id, data);
      statuses.push((await runTrainer(t)).status);
      t.dispose();
    }
    expect(statuses).toEqual(['diverged', 'done']);
  });

  it('stops when the checkpoint says so', async () => {
    const t = createTrainer(tinySpec(MLP, [SGD], { epochs: 3 }), 'sgd', data);
    let calls = 0;
    const r = await runTrainer(t, { checkpoint: async () => (++calls > 4 ? 'stop' : 'go') });
    expect(r.status).toBe('stopped');
    expect(t.stepsDone).toBe(4);
    t.dispose();
  });

  it('rejects an unknown run and a batch larger than the training set', () => {
    expect(() => createTrainer(tinySpec(MLP, [SGD]), 'nope', data)).toThrow(/no run "nope"/);
    expect(() =>
      createTrainer(tinySpec(MLP, [SGD], { batchSize: 200 }), 'sgd', {
        train: blobs('image', 50, 1),
        test: blobs('image', 48, 2),
      }),
    ).toThrow(/batchSize 200/);
  });
});

describe('trainer evaluations during and after training', () => {
  beforeAll(() => useBackend('cpu'));
  beforeEach(() => {
    vi.mocked(evaluateModel).mockClear();
  });
  const data = blobSplit('image');
  /** 96 / 16 = 6 steps per epoch; 2 epochs: evaluations at steps 0, 6 and 12; 48 test examples, 3 classes. */
  const spec = (during: { subsetSize: number; pgdSteps: number }, final = { subsetSize: 48, pgdSteps: 3 }) => {
    const s = tinySpec(MLP, [SGD], { epochs: 2 });
    s.eval = { ...s.eval, ...final, during };
    return s;
  };
  /** What each evaluateModel call scored: the set's size and the PGD steps. */
  const asked = () => vi.mocked(evaluateModel).mock.calls.map(([, set, o]) => ({ n: set.n, pgdSteps: o.pgdSteps }));
  const multipleOf = (x: number, n: number) => Math.abs(x * n - Math.round(x * n)) < 1e-9;

  it('scores the smaller during subset with the weaker attack before the last step, the full ones at the end', async () => {
    const s = spec({ subsetSize: 12, pgdSteps: 2 });
    const t = createTrainer(s, 'sgd', data);
    const r = await runTrainer(t);
    expect(r.history.map((p) => p.step)).toEqual([0, 6, 12]);
    expect(asked()).toEqual([
      { n: 12, pgdSteps: 2 },
      { n: 12, pgdSteps: 2 },
      { n: 48, pgdSteps: 3 },
    ]);
    // Intermediate accuracies count 12 examples, the final ones 48.
    for (const p of r.history.slice(0, 2))
      for (const acc of [p.cleanAcc, ...Object.values(p.robust)]) expect(multipleOf(acc, 12)).toBe(true);
    for (const acc of [r.history[2].cleanAcc, ...Object.values(r.history[2].robust)])
      expect(multipleOf(acc, 48)).toBe(true);
    const mid = createTrainer(s, 'sgd', data);
    // After 6 more steps of the same run: its evaluation is exactly that of `test` with `pgdSteps` on
    // its weights, and the i-th point of the run above.
    const expectEvaluation = async (test: Dataset, pgdSteps: number, i: number) => {
      await steps(mid, 6);
      const point = await mid.evaluate();
      const direct = await evaluateModel(mid.model, test, {
        attacks: s.eval.attacks,
        pgdSteps,
        pgdSchedule: s.eval.pgdSchedule,
        batchSize: s.train.batchSize,
        seed: s.seed,
      });
      expect({ cleanAcc: point.cleanAcc, robust: point.robust, cleanLoss: point.cleanLoss }).toEqual(direct);
      expect(point).toEqual(r.history[i]);
    };
    // The intermediate point is the during subset's evaluation ...
    await expectEvaluation(evalSubset(data.test, 12, s.seed), 2, 1);
    // ... and the last one the full subset's.
    await expectEvaluation(data.test, 3, 2);
    t.dispose();
    mid.dispose();
  });

  it('caps the during subset and attack by the final ones', async () => {
    const t = createTrainer(spec({ subsetSize: 1000, pgdSteps: 50 }, { subsetSize: 24, pgdSteps: 3 }), 'sgd', data);
    await runTrainer(t);
    expect(asked()).toEqual([
      { n: 24, pgdSteps: 3 },
      { n: 24, pgdSteps: 3 },
      { n: 24, pgdSteps: 3 },
    ]);
    t.dispose();
  });

  it('the during settings change no final number', async () => {
    const final = async (during: { subsetSize: number; pgdSteps: number }) => {
      const t = createTrainer(spec(during), 'sgd', data);
      const r = await runTrainer(t);
      t.dispose();
      return r.history.at(-1);
    };
    expect(await final({ subsetSize: 6, pgdSteps: 1 })).toEqual(await final({ subsetSize: 48, pgdSteps: 3 }));
  });

  it('adopts only a step-0 evaluation, and only before the first step', async () => {
    const s = spec({ subsetSize: 12, pgdSteps: 2 });
    const t = createTrainer(s, 'sgd', data);
    const zero = await t.evaluate();
    expect(zero.step).toBe(0);
    const fresh = createTrainer(s, 'sgd', data);
    expect(() => fresh.adoptInitialEvaluation({ ...zero, step: 6, epoch: 1 })).toThrow(/step-0/);
    // A refused point leaves the evaluation due.
    expect(fresh.evalDue()).toBe(true);
    fresh.adoptInitialEvaluation(zero);
    expect(fresh.evalDue()).toBe(false);
    // The schedule goes on as if it had evaluated itself: due again after one epoch, not before.
    for (let i = 1; i <= 6; i++) {
      await fresh.step();
      expect(fresh.evalDue()).toBe(i === 6);
    }
    await t.step();
    expect(() => t.adoptInitialEvaluation(zero)).toThrow(/step-0/);
    t.dispose();
    fresh.dispose();
  });

  it('runTrainer starts its history with the initial point, does not report it, and trains as without it', async () => {
    const s = spec({ subsetSize: 12, pgdSteps: 2 });
    const plain = createTrainer(s, 'sgd', data);
    const without = await runTrainer(plain);
    plain.dispose();
    const evaluationsWithout = asked().length;

    // A recognisable step-0 point, not the one the trainer would compute: it must be taken as given.
    const initialPoint: HistoryPoint = {
      epoch: 0,
      step: 0,
      trainLoss: NaN,
      trainAcc: NaN,
      cleanAcc: 0.123,
      robust: { 'linf:0.05': 0.0456 },
      cleanLoss: 9.87,
    };
    vi.mocked(evaluateModel).mockClear();
    const reported: HistoryPoint[] = [];
    const t = createTrainer(s, 'sgd', data);
    const withPoint = await runTrainer(t, { initialPoint, onEval: (p) => reported.push(p) });
    t.dispose();
    expect(withPoint.status).toBe('done');
    expect(withPoint.history[0]).toBe(initialPoint);
    expect(withPoint.history.slice(1)).toEqual(without.history.slice(1));
    expect(reported).toEqual(without.history.slice(1));
    expect(reported).not.toContain(initialPoint);
    // The step-0 evaluation was not computed again.
    expect(asked().length).toBe(evaluationsWithout - 1);
  });

  it('runTrainer ends with an error for an initial point that is not at step 0', async () => {
    const t = createTrainer(spec({ subsetSize: 12, pgdSteps: 2 }), 'sgd', data);
    const r = await runTrainer(t, {
      initialPoint: { epoch: 1, step: 6, trainLoss: 1, trainAcc: 0.5, cleanAcc: 0.5, robust: {} },
    });
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/step-0/);
    expect(t.stepsDone).toBe(0);
    t.dispose();
  });
});
