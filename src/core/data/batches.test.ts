import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { blobs } from '../train/testFixtures';
import { AUGMENT_PAD, augmentInto, BatchSampler } from './batches';

const ids = (n: number) => {
  // A dataset whose every value encodes its example index, so batches can be traced back.
  const ds = blobs('vector', n, 1);
  const dim = ds.shape[0];
  for (let i = 0; i < n; i++) ds.x.fill(i, i * dim, (i + 1) * dim);
  return ds;
};

describe('BatchSampler', () => {
  it('visits each example at most once per epoch, drops the partial batch, reshuffles each epoch', () => {
    const ds = ids(23);
    const s = new BatchSampler(ds, 5, new Rng(1), { augment: false });
    expect(s.batchesPerEpoch).toBe(4);
    const epochs: number[][] = [];
    for (let e = 0; e < 2; e++) {
      const seen: number[] = [];
      for (let b = 0; b < s.batchesPerEpoch; b++) {
        const batch = s.next();
        expect(batch.x.length).toBe(5 * 6);
        for (let k = 0; k < 5; k++) {
          const i = batch.x[k * 6];
          expect(batch.y[k]).toBe(ds.y[i]);
          seen.push(i);
        }
      }
      expect(new Set(seen).size).toBe(20);
      expect(s.epoch).toBe(e + 1);
      epochs.push(seen);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
  });

  it('gives the same order for the same seed and another for another seed', () => {
    const ds = ids(40);
    const order = (seed: number) =>
      Array.from(
        { length: 6 },
        (
          (s) => () =>
            Array.from(s.next().x.filter((_, j) => j % 6 === 0))
        )(new BatchSampler(ds, 8, new Rng(seed), { augment: false })),
      );
    expect(order(3)).toEqual(order(3));
    expect(order(3)).not.toEqual(order(4));
  });

  it('rejects a batch larger than the set and augmentation of feature vectors', () => {
    const ds = blobs('vector', 10, 1);
    expect(() => new BatchSampler(ds, 11, new Rng(1), { augment: false })).toThrow(/exceeds/);
    expect(() => new BatchSampler(ds, 2, new Rng(1), { augment: true })).toThrow(/images/);
  });
});

describe('augmentation', () => {
  const [h, w, c] = [8, 8, 3];
  const src = Float32Array.from({ length: h * w * c }, (_, i) => 1 + i); // no zeros: padding is visible
  /** The (dy, dx, flip) that explains `out`, or null. */
  const explain = (out: Float32Array) => {
    for (let dy = -AUGMENT_PAD; dy <= AUGMENT_PAD; dy++)
      for (let dx = -AUGMENT_PAD; dx <= AUGMENT_PAD; dx++)
        for (const flip of [false, true]) {
          let ok = true;
          for (let r = 0; r < h && ok; r++)
            for (let col = 0; col < w && ok; col++) {
              const sr = r + dy;
              const sc = (flip ? w - 1 - col : col) + dx;
              for (let k = 0; k < c; k++) {
                const want = sr < 0 || sr >= h || sc < 0 || sc >= w ? 0 : src[(sr * w + sc) * c + k];
                if (out[(r * w + col) * c + k] !== want) ok = false;
              }
            }
          if (ok) return { dy, dx, flip };
        }
    return null;
  };

  it('is a padded random crop, mirrored half of the time, and repeats for a seed', () => {
    const rng = new Rng(5);
    const found = Array.from({ length: 200 }, () => {
      const out = new Float32Array(src.length);
      augmentInto(src, out, [h, w, c], rng);
      const e = explain(out);
      expect(e).not.toBeNull();
      return e!;
    });
    const flips = found.filter((e) => e.flip).length;
    expect(flips).toBeGreaterThan(60);
    expect(flips).toBeLessThan(140);
    expect(new Set(found.map((e) => e.dx)).size).toBe(2 * AUGMENT_PAD + 1);
    const again = (seed: number) => {
      const out = new Float32Array(src.length);
      augmentInto(src, out, [h, w, c], new Rng(seed));
      return out;
    };
    expect(again(9)).toEqual(again(9));
  });

  it('keeps labels with their images in augmented batches', () => {
    const ds = blobs('image', 12, 1);
    const s = new BatchSampler(ds, 4, new Rng(2), { augment: true });
    const b = s.next();
    expect(b.x.length).toBe(4 * 8 * 8 * 3);
    expect(Math.min(...b.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...b.x)).toBeLessThanOrEqual(1);
    expect(Array.from(b.y).every((y) => y < 3)).toBe(true);
  });
});
