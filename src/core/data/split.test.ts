import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ExperimentSpec } from '../spec';
import type { ByteImages } from './images';
import { buildSplit } from './split';
import { classCounts } from './stats';
import { examplesAsFloat } from './dataset';

const specFor = (dataset: Partial<ExperimentSpec['dataset']>, seed = 1): ExperimentSpec => ({
  ...structuredClone(DEFAULT_SPEC),
  seed,
  dataset: { ...DEFAULT_SPEC.dataset, ...dataset },
});

/** n one-pixel images whose pixel is the index mod 256, labels in blocks (class-sorted, like the npm digits). */
function pool(n: number, classes = 10, shape: [number, number, number] = [1, 1, 1]): ByteImages {
  return {
    shape,
    pixels: Uint8Array.from({ length: n * shape[0] * shape[1] * shape[2] }, (_, i) => i % 256),
    labels: Uint8Array.from({ length: n }, (_, i) => Math.floor((i * classes) / n)),
    n,
  };
}

describe('buildSplit', () => {
  it('generates the toy and shapes sets from the spec seed, test independent of the training size', () => {
    const a = buildSplit(specFor({ name: 'toy', trainSize: 100, testSize: 40 }));
    expect([a.train.n, a.test.n]).toEqual([100, 40]);
    expect(buildSplit(specFor({ name: 'toy', trainSize: 100, testSize: 40 })).train.x).toEqual(a.train.x);
    expect(buildSplit(specFor({ name: 'toy', trainSize: 100, testSize: 40 }, 2)).train.x).not.toEqual(a.train.x);
    expect(buildSplit(specFor({ name: 'toy', trainSize: 300, testSize: 40 })).test.x).toEqual(a.test.x);
    const s = buildSplit(specFor({ name: 'shapes', trainSize: 16, testSize: 16 }));
    expect(s.train.shape).toEqual([32, 32, 3]);
    expect(s.note).toMatch(/generated from seed 1/);
  });

  it('takes seeded stratified subsets of official splits', () => {
    const source = { kind: 'split' as const, train: pool(1000), test: pool(500) };
    const spec = specFor({ name: 'fashion-mnist', trainSize: 200, testSize: 50 });
    const split = buildSplit(
      { ...spec, dataset: { ...spec.dataset, name: 'cifar10' } },
      { ...source, train: pool(1000, 10, [32, 32, 3]), test: pool(500, 10, [32, 32, 3]) },
    );
    expect(split.train.shape).toEqual([32, 32, 3]);
    const f = buildSplit(spec, source);
    expect(classCounts(f.train.y, 10)).toEqual(new Array(10).fill(20));
    expect(classCounts(f.test.y, 10)).toEqual(new Array(10).fill(5));
    expect(f.train.mean).toEqual([0.286]);
    expect(f.train.classNames[9]).toBe('Ankle boot');
    expect(buildSplit(spec, source).train.x).toEqual(f.train.x);
    expect(() => buildSplit(specFor({ name: 'fashion-mnist', trainSize: 2000 }), source)).toThrow(
      /train-subset wants 2,000 examples, the set has 1,000/,
    );
    expect(() => buildSplit(spec)).toThrow(/fashion-mnist is read from files/);
  });

  it('splits the MNIST pool 80/20 per class with no example in both parts', () => {
    const counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const labels = Uint8Array.from(counts.flatMap((c, k) => new Array<number>(c).fill(k)));
    // Each image's pixels are its index in base 256, so train and test can be told apart.
    const pixels = new Uint8Array(10_000 * 2);
    for (let i = 0; i < 10_000; i++) [pixels[2 * i], pixels[2 * i + 1]] = [i >> 8, i & 255];
    const source = {
      kind: 'pool' as const,
      pool: { shape: [1, 2, 1] as [number, number, number], pixels, labels, n: 10_000 },
    };
    const split = buildSplit(specFor({ name: 'mnist', trainSize: 8000, testSize: 2000 }), source);
    expect(classCounts(split.test.y, 10)).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    const id = (x: Float32Array, i: number) => Math.round(x[2 * i] * 255) * 256 + Math.round(x[2 * i + 1] * 255);
    const trainIds = new Set(Array.from({ length: 8000 }, (_, i) => id(examplesAsFloat(split.train), i)));
    expect(trainIds.size).toBe(8000);
    for (let i = 0; i < 2000; i++) expect(trainIds.has(id(examplesAsFloat(split.test), i))).toBe(false);
    expect(split.note).toMatch(/20% of each class to test\): 8,000 \/ 2,000/);
    // A smaller test subset is drawn from the same held-out part; a larger training set shrinks it.
    const small = buildSplit(specFor({ name: 'mnist', trainSize: 1000, testSize: 500 }), source);
    for (let i = 0; i < 500; i++) expect(trainIds.has(id(examplesAsFloat(small.test), i))).toBe(false);
    const big = buildSplit(specFor({ name: 'mnist', trainSize: 9000, testSize: 1000 }), source);
    expect([big.train.n, big.test.n]).toEqual([9000, 1000]);
    expect(big.note).toMatch(/10% of each class/);
  });
});
