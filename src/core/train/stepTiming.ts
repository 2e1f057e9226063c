// Times training steps of an experiment's own model and batch on the current backend, on random
// data of the dataset's shape, so that "auto" can choose a backend by measuring (backend.ts). The
// first step compiles kernels (shaders on the GPU backends) and is not counted.
import { CATALOG } from '../data/catalog';
import type { Dataset, DatasetSplit } from '../data/dataset';
import { Rng } from '../rng';
import type { ExperimentSpec } from '../spec';
import { createTrainer } from './trainer';

export interface StepTimingOptions {
  /** Timed steps at least (after the warm-up step). */
  minSteps: number;
  /** Keep timing until this much time has passed, up to maxSteps. */
  minMs: number;
  maxSteps: number;
  now(): number;
}

/** Random examples of the spec's dataset shape: enough for one batch. */
function syntheticSplit(spec: ExperimentSpec): DatasetSplit {
  const meta = CATALOG[spec.dataset.name];
  const shape =
    spec.dataset.name === 'toy' ? [spec.dataset.toy.robustDims + spec.dataset.toy.nonRobustDims] : meta.shape;
  const n = spec.train.batchSize;
  const rng = new Rng(spec.seed).derive('step-timing');
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(meta.numClasses);
  // The feature set's features are used as they are (mean 0, std 1 each), as featureSet makes them.
  const toy = spec.dataset.name === 'toy';
  const mean = toy ? new Array<number>(size).fill(0) : meta.mean;
  const std = toy ? new Array<number>(size).fill(1) : meta.std;
  const set: Dataset = {
    name: meta.name,
    shape,
    numClasses: meta.numClasses,
    classNames: meta.classNames,
    x,
    y,
    n,
    bounded: meta.bounded,
    mean,
    std,
  };
  return { train: set, test: set };
}

/** Median milliseconds of one SGD step of the spec's model and batch size on the current tfjs backend. */
export async function timeTrainingStep(spec: ExperimentSpec, o: StepTimingOptions): Promise<number> {
  const probe: ExperimentSpec = {
    ...spec,
    train: { ...spec.train, epochs: o.maxSteps + 1 },
    runs: [{ id: 'probe', method: 'sgd' }],
  };
  const trainer = createTrainer(probe, 'probe', syntheticSplit(probe));
  try {
    await trainer.step();
    const times: number[] = [];
    const start = o.now();
    while (times.length < o.maxSteps && (times.length < o.minSteps || o.now() - start < o.minMs)) {
      const t0 = o.now();
      await trainer.step();
      times.push(o.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    trainer.dispose();
  }
}
