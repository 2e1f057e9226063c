// Tiny datasets and specs for the training tests: Gaussian blobs as 8x8x3 images in [0, 1] or as
// feature vectors, small enough that a test trains in well under a second per epoch.
import { afterAll, beforeAll } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import type { Dataset, DatasetSplit } from '../data/dataset';
import { Rng } from '../rng';
import { DEFAULT_SPEC, type ExperimentSpec, type ModelSpec, type RunSpec } from '../spec';
import { createTrainer, runTrainer, type Trainer } from './trainer';

/**
 * `classes` blobs: class k has its own random centre, each example is the centre plus N(0, noise^2)
 * noise; images are clipped to [0, 1] and centred at 0.5 +- 0.25.
 */
export function blobs(kind: 'image' | 'vector', n: number, seed: number, classes = 3, noise = 0.1): Dataset {
  const shape = kind === 'image' ? [8, 8, 3] : [6];
  const dim = shape.reduce((a, b) => a * b, 1);
  const centres = new Rng(1234).derive('centres');
  const mu = Array.from({ length: classes }, () =>
    Float32Array.from({ length: dim }, () => (kind === 'image' ? 0.25 + 0.5 * centres.uniform() : centres.normal())),
  );
  const rng = new Rng(seed);
  const x = new Float32Array(n * dim);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < dim; j++) {
      const v = mu[y[i]][j] + noise * rng.normal();
      x[i * dim + j] = kind === 'image' ? Math.min(1, Math.max(0, v)) : v;
    }
  }
  const channels = shape[shape.length - 1];
  return {
    name: `blobs-${kind}`,
    shape,
    numClasses: classes,
    classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
    x,
    y,
    n,
    bounded: kind === 'image',
    mean: new Array<number>(channels).fill(kind === 'image' ? 0.5 : 0),
    std: new Array<number>(channels).fill(kind === 'image' ? 0.25 : 1),
  };
}

export function blobSplit(kind: 'image' | 'vector', train = 96, test = 48, classes = 3, noise = 0.1): DatasetSplit {
  return { train: blobs(kind, train, 1, classes, noise), test: blobs(kind, test, 2, classes, noise) };
}

/** A small spec: constant rate, one linf attack, evaluation once per epoch on the whole test set. */
export function tinySpec(
  model: ModelSpec,
  runs: RunSpec[],
  over: { epochs?: number; seed?: number; batchSize?: number; testSize?: number } = {},
): ExperimentSpec {
  const spec = structuredClone(DEFAULT_SPEC);
  spec.seed = over.seed ?? 7;
  spec.dataset = { ...spec.dataset, trainSize: 96, testSize: over.testSize ?? 48 };
  spec.model = model;
  spec.train = {
    ...spec.train,
    epochs: over.epochs ?? 1,
    batchSize: over.batchSize ?? 16,
    lr: 0.1,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: 'constant',
    augment: false,
  };
  spec.eval = {
    subsetSize: over.testSize ?? 48,
    attacks: [{ norm: 'linf', eps: 0.05 }],
    pgdSteps: 3,
    pgdSchedule: 'cosine',
    every: 1,
    during: { subsetSize: over.testSize ?? 48, pgdSteps: 3 },
    apgd: { ...spec.eval.apgd, enabled: false },
  };
  spec.runs = runs;
  return spec;
}

/** A one-layer MLP, 16 wide, trained with SGD for three epochs on `data` (its whole test set evaluated). */
export async function trainedMlp(data: DatasetSplit): Promise<Trainer> {
  const spec = tinySpec({ name: 'mlp', width: 16, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], {
    epochs: 3,
    testSize: data.test.n,
  });
  const trainer = createTrainer(spec, 'sgd', data);
  await runTrainer(trainer);
  return trainer;
}

/**
 * For a describe block: `trainedMlp(data)` on the wasm backend before its tests, disposed after
 * them. The getter reads the trainer once the block's beforeAll has run.
 */
export function trainedMlpInSuite(data: DatasetSplit): () => Trainer {
  let trained: Trainer | undefined;
  beforeAll(async () => {
    await useBackend('wasm');
    trained = await trainedMlp(data);
  });
  afterAll(() => trained?.dispose());
  return () => {
    if (!trained) throw new Error('the suite has not trained its model yet');
    return trained;
  };
}
