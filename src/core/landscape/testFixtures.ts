// Tiny trained models for the landscape tests: a few SGD steps of the real trainer on Gaussian
// blobs, so BatchNorm running statistics are no longer their initial values and the loss is
// past its random-init plateau.
import { useBackend } from '../../../scripts/lib/nodeBackend';
import type { DatasetSplit } from '../data/dataset';
import { disposeBatch, type DeviceBatch } from '../train/objective';
import { landscapeBatch } from './evalBatch';
import { readParams } from '../model/paramUtils';
import type { Model } from '../model/model';
import type { ExperimentSpec, ModelSpec } from '../spec';
import { blobSplit, tinySpec } from '../train/testFixtures';
import { createTrainer, type Trainer } from '../train/trainer';

export interface Trained {
  spec: ExperimentSpec;
  data: DatasetSplit;
  trainer: Trainer;
  model: Model;
}

export async function trainedTiny(model: ModelSpec, kind: 'image' | 'vector', steps: number): Promise<Trained> {
  const spec = tinySpec(model, [{ id: 'sgd', method: 'sgd' }], { epochs: 5 });
  spec.landscape = { when: 'end', points1d: 5, points2d: 3, batchSize: 32, inputEps: 0.1 };
  const data = blobSplit(kind);
  const trainer = createTrainer(spec, 'sgd', data);
  for (let i = 0; i < steps; i++) await trainer.step();
  return { spec, data, trainer, model: trainer.model };
}

/** A tiny trained net (on the cpu backend) with a landscape batch of its test set: a suite's beforeAll. */
export interface TrainedOnBatch extends Trained {
  batch: DeviceBatch;
}

export async function trainedOnBatch(
  model: ModelSpec,
  kind: 'image' | 'vector',
  steps: number,
  batchSize: number,
): Promise<TrainedOnBatch> {
  await useBackend('cpu');
  const t = await trainedTiny(model, kind, steps);
  return { ...t, batch: landscapeBatch(t.data.test, batchSize, t.spec.seed) };
}

/** Frees what trainedOnBatch made: a suite's afterAll. */
export function disposeTrainedOnBatch(t: TrainedOnBatch): void {
  disposeBatch(t.batch);
  t.trainer.dispose();
}

/** Every parameter and buffer as bytes, for bit-exact comparisons. */
export async function stateBytes(model: Model): Promise<Map<string, Uint8Array>> {
  const values = await readParams(model);
  return new Map([...values].map(([name, v]) => [name, new Uint8Array(v.buffer, v.byteOffset, v.byteLength)]));
}
