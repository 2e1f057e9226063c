// Seeded stratified sampling: each class keeps its share of the whole, rounded by largest
// remainder so the total is exact. Same seed => same indices.
import type { Rng } from '../rng';
import type { Dataset } from './dataset';

/** Per-class quotas summing to `size`: floor(size * count / n), then +1 to the largest remainders (ties: lower class). */
export function stratifiedQuotas(counts: number[], size: number): number[] {
  const n = counts.reduce((s, c) => s + c, 0);
  if (!Number.isInteger(size) || size < 0 || size > n)
    throw new Error(`stratified sample of ${size} from ${n} examples is not possible`);
  const exact = counts.map((c) => (n === 0 ? 0 : (size * c) / n));
  const quotas = exact.map(Math.floor);
  let left = size - quotas.reduce((s, q) => s + q, 0);
  const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (const { k } of order) {
    if (left === 0) break;
    quotas[k]++;
    left--;
  }
  return quotas;
}

/**
 * Indices of a stratified sample of `size` examples, in a seeded random order (so any prefix
 * mixes the classes). With `rest`, also the indices not taken, in their original order.
 */
export function stratifiedIndices(
  labels: Uint8Array,
  numClasses: number,
  size: number,
  rng: Rng,
): { taken: Int32Array; rest: Int32Array } {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((l, i) => {
    if (l >= numClasses) throw new Error(`label ${l} at ${i} is outside 0..${numClasses - 1}`);
    byClass[l].push(i);
  });
  const quotas = stratifiedQuotas(
    byClass.map((c) => c.length),
    size,
  );
  const taken = new Int32Array(size);
  const isTaken = new Uint8Array(labels.length);
  let t = 0;
  byClass.forEach((members, k) => {
    // Partial Fisher-Yates: the first quotas[k] slots become a uniform sample of the class.
    for (let i = 0; i < quotas[k]; i++) {
      const j = i + rng.int(members.length - i);
      [members[i], members[j]] = [members[j], members[i]];
      taken[t++] = members[i];
      isTaken[members[i]] = 1;
    }
  });
  rng.shuffle(taken);
  const rest = new Int32Array(labels.length - size);
  let r = 0;
  for (let i = 0; i < labels.length; i++) if (!isTaken[i]) rest[r++] = i;
  return { taken, rest };
}

/** The examples of `ds` at `indices`, in that order. */
export function selectExamples(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const size = ds.x.length / ds.n;
  // Bytes stay bytes: the same values in a quarter of the memory.
  const x =
    ds.x instanceof Uint8Array ? new Uint8Array(indices.length * size) : new Float32Array(indices.length * size);
  const y = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    x.set(ds.x.subarray(indices[k] * size, (indices[k] + 1) * size), k * size);
    y[k] = ds.y[indices[k]];
  }
  return { ...ds, x, y, n: indices.length };
}

/** A seeded stratified subset of `size` examples (largest-remainder per class), deterministic per seed. */
export function stratifiedSubset(ds: Dataset, size: number, rng: Rng): Dataset {
  return selectExamples(ds, stratifiedIndices(ds.y, ds.numClasses, size, rng).taken);
}
