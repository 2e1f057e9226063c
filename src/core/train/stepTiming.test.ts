import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import type { ExperimentSpec, ModelSpec } from '../spec';
import { timeTrainingStep, type StepTimingOptions } from './stepTiming';
import { tinySpec } from './testFixtures';

// Every trainer the timing makes is watched: its steps are counted, each one can advance a
// simulated clock by a chosen cost, and one can be made to fail. Otherwise it is the real trainer.
const watch = vi.hoisted(() => ({
  steps: 0,
  created: 0,
  disposed: 0,
  clock: 0,
  /** Simulated milliseconds of the n-th step (0-based, warm-up included). */
  cost: (() => 0) as (n: number) => number,
  failAt: -1,
  specs: [] as unknown[],
}));

vi.mock('./trainer', async (importOriginal) => {
  const m = await importOriginal<typeof import('./trainer')>();
  return {
    ...m,
    createTrainer: (...args: Parameters<typeof m.createTrainer>) => {
      const t = m.createTrainer(...args);
      watch.created++;
      watch.specs.push(args[0]);
      const step = t.step.bind(t);
      const dispose = t.dispose.bind(t);
      t.step = async () => {
        const n = watch.steps++;
        const record = await step();
        if (n === watch.failAt) throw new Error('step exploded');
        watch.clock += watch.cost(n);
        return record;
      };
      t.dispose = () => {
        watch.disposed++;
        dispose();
      };
      return t;
    },
  };
});

const MLP: ModelSpec = { name: 'mlp', width: 8, depth: 1 };
const simulated = () => watch.clock;
/** Times an SGD run of the small MLP. */
const timeMlp = (o: StepTimingOptions) => timeTrainingStep(tinySpec(MLP, [{ id: 'sgd', method: 'sgd' }]), o);

function reset(cost: (n: number) => number = () => 0) {
  Object.assign(watch, { steps: 0, created: 0, disposed: 0, clock: 0, cost, failAt: -1, specs: [] });
}

describe('timeTrainingStep', () => {
  beforeAll(() => useBackend('cpu'));
  afterEach(() => reset());

  it('returns a positive, finite median on the real clock and disposes its trainer', async () => {
    reset();
    const o: StepTimingOptions = { minSteps: 3, minMs: 0, maxSteps: 5, now: () => performance.now() };
    const ms = await timeMlp(o);
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
    expect(watch.created).toBe(1);
    expect(watch.disposed).toBe(1);
    // One warm-up step, then between minSteps and maxSteps timed ones.
    expect(watch.steps).toBeGreaterThanOrEqual(1 + 3);
    expect(watch.steps).toBeLessThanOrEqual(1 + 5);
  });

  it('stops at minSteps when a clock that gains 1000 ms per reading is already past minMs', async () => {
    reset();
    let t = 0;
    const ms = await timeMlp({ minSteps: 3, minMs: 600, maxSteps: 20, now: () => (t += 1000) });
    expect(watch.steps).toBe(1 + 3);
    // Each timed step spans two consecutive readings, 1000 ms apart.
    expect(ms).toBe(1000);
  });

  it('keeps timing until minMs has passed, counting from after the warm-up', async () => {
    // The warm-up costs 10 s (compiling) and must not count towards minMs; each timed step costs 100 ms.
    reset((n) => (n === 0 ? 10_000 : 100));
    const ms = await timeMlp({ minSteps: 3, minMs: 600, maxSteps: 20, now: simulated });
    // 600 ms at 100 ms a step: 6 timed steps.
    expect(watch.steps).toBe(1 + 6);
    expect(ms).toBe(100);
  });

  it('stops at maxSteps when the clock never reaches minMs', async () => {
    reset(() => 1);
    const ms = await timeMlp({ minSteps: 3, minMs: 60_000, maxSteps: 7, now: simulated });
    expect(watch.steps).toBe(1 + 7);
    expect(ms).toBe(1);
    // The probe trainer has room for the warm-up and maxSteps steps (it would throw after its last step).
    expect((watch.specs[0] as ExperimentSpec).train.epochs).toBeGreaterThanOrEqual(8);
  });

  it('reports the median, so one slow step does not decide, and ignores the warm-up step', async () => {
    const costs = [99_999, 5, 100_000, 7, 3, 9];
    reset((n) => costs[n]);
    const ms = await timeMlp({ minSteps: 5, minMs: 0, maxSteps: 5, now: simulated });
    expect(watch.steps).toBe(6);
    // Timed: 5, 100000, 7, 3, 9 -> sorted 3, 5, 7, 9, 100000 -> 7.
    expect(ms).toBe(7);
  });

  it("times one SGD run of the spec's model and batch, whatever the spec's runs and epochs", async () => {
    reset();
    const spec = tinySpec(MLP, [{ id: 'at', method: 'at', norm: 'linf', eps: 0.1, stepSize: 0.01, steps: 7 }], {
      batchSize: 12,
      epochs: 0.01,
    });
    await timeTrainingStep(spec, { minSteps: 2, minMs: 0, maxSteps: 2, now: simulated });
    const probe = watch.specs[0] as ExperimentSpec;
    expect(probe.runs).toEqual([{ id: 'probe', method: 'sgd' }]);
    expect(probe.model).toEqual(spec.model);
    expect(probe.train.batchSize).toBe(12);
    // The caller's spec is left alone.
    expect(spec.runs[0].method).toBe('at');
    expect(spec.train.epochs).toBe(0.01);
  });

  it('leaves no tensors behind, also when a step fails', async () => {
    const spec = tinySpec({ name: 'preact-resnet10', width: 2, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], {
      batchSize: 4,
    });
    // Warm the kernels up once so that lazily created backend state does not count.
    reset();
    await timeTrainingStep(spec, { minSteps: 1, minMs: 0, maxSteps: 1, now: simulated });
    const before = tf.memory().numTensors;
    reset(() => 1);
    await timeTrainingStep(spec, { minSteps: 2, minMs: 0, maxSteps: 3, now: simulated });
    expect(tf.memory().numTensors).toBe(before);
    reset();
    watch.failAt = 2;
    await expect(timeTrainingStep(spec, { minSteps: 5, minMs: 0, maxSteps: 5, now: simulated })).rejects.toThrow(
      /step exploded/,
    );
    expect(watch.disposed).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('times the toy feature-vector set (its features are not normalised) on linear and MLP models', async () => {
    for (const model of [MLP, { name: 'linear', width: 1, depth: 1 } as ModelSpec]) {
      const spec = tinySpec(model, [{ id: 'sgd', method: 'sgd' }]);
      spec.dataset = { ...spec.dataset, name: 'toy', toy: { ...spec.dataset.toy, robustDims: 3, nonRobustDims: 5 } };
      const ms = await timeTrainingStep(spec, { minSteps: 2, minMs: 0, maxSteps: 3, now: () => performance.now() });
      expect(ms).toBeGreaterThan(0);
    }
  });
});
