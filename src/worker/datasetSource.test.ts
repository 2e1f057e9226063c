// The worker's loader, with fetch served from a folder prepared by `npm run datasets` (fixtures).
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadSplit } from '../../scripts/lib/loadSplit';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { folderFetch, preparedFolder } from './datasetFolder.testing';
import { loadSplitInWorker, type LoadProgress } from './datasetSource';

const spec = (name: ExperimentSpec['dataset']['name'], trainSize: number, testSize: number): ExperimentSpec => ({
  ...structuredClone(DEFAULT_SPEC),
  dataset: { ...DEFAULT_SPEC.dataset, name, trainSize, testSize },
});

describe('worker dataset source', () => {
  const dir = preparedFolder();

  it('loads the same split as the Node loader, from same-origin URLs, with progress', async () => {
    const asked: string[] = [];
    const progress: LoadProgress[] = [];
    const s = spec('fashion-mnist', 30, 10);
    const split = await loadSplitInWorker(s, (p) => progress.push(p), {
      base: '/datasets/',
      fetch: folderFetch(dir, asked),
    });
    const node = await loadSplit(s, { dir });
    expect(split.train.x).toEqual(node.train.x);
    expect(split.test.y).toEqual(node.test.y);
    expect(asked.every((u) => u.startsWith('/datasets/'))).toBe(true);
    expect(asked[0]).toBe('/datasets/manifest.json');
    const last = progress[progress.length - 1];
    expect(last.loaded).toBe(last.total);
  });

  it('fails with a named error for a missing dataset and a file of the wrong size', async () => {
    await expect(
      loadSplitInWorker(spec('cifar10', 100, 30), undefined, { base: '/datasets/', fetch: folderFetch(dir) }),
    ).rejects.toThrow(/dataset cifar10 is not prepared/);
    const cut = folderFetch(dir);
    const cutFetch = (async (url: string) => {
      const res = await cut(url);
      return url.endsWith('.gz') ? new Response((await res.arrayBuffer()).slice(0, 50)) : res;
    }) as typeof fetch;
    await expect(
      loadSplitInWorker(spec('fashion-mnist', 30, 10), undefined, { base: '/datasets/', fetch: cutFetch }),
    ).rejects.toThrow(/fashion-mnist\/[0-9a-f]{12}-train-images-idx3-ubyte\.gz has 50 bytes, the manifest says \d+/);
  });

  describe('CIFAR-10, parsed as it streams in', () => {
    const cifarDir = preparedFolder({ cifar: true });
    /** The folder's fetch, each body cut into `size`-byte chunks (a record then spans chunks). */
    const chunked = (size: number, change: (bytes: Uint8Array) => Uint8Array = (b) => b): typeof fetch => {
      const served = folderFetch(cifarDir);
      return (async (url: string) => {
        const res = await served(url);
        if (!url.endsWith('.gz')) return res;
        const bytes = change(new Uint8Array(await res.arrayBuffer()));
        let at = 0;
        return new Response(
          new ReadableStream<Uint8Array>({
            pull(c) {
              if (at >= bytes.length) return c.close();
              c.enqueue(bytes.slice(at, (at += size)));
            },
          }),
        );
      }) as typeof fetch;
    };
    const s = spec('cifar10', 40, 10);

    it('gives the same split as the Node loader, gzipped or not, whatever the chunks', async () => {
      const node = await loadSplit(s, { dir: cifarDir });
      for (const [size, change] of [
        [7, undefined],
        [4096, undefined],
        [1000, (b: Uint8Array) => new Uint8Array(zlib.gunzipSync(b))], // a server unzipped it on the way
      ] as const) {
        const progress: LoadProgress[] = [];
        const split = await loadSplitInWorker(s, (p) => progress.push(p), {
          base: '/datasets/',
          fetch: chunked(size, change),
        });
        expect(split.train.x).toEqual(node.train.x);
        expect(split.train.y).toEqual(node.train.y);
        expect(split.test.x).toEqual(node.test.x);
        expect(progress.at(-1)!.loaded).toBeGreaterThan(0);
      }
    });

    it('names the file of a truncated batch, corrupt gzip, and a bad label', async () => {
      const load = (change: (b: Uint8Array) => Uint8Array) =>
        loadSplitInWorker(s, undefined, { base: '/datasets/', fetch: chunked(999, change) });
      const plain = (b: Uint8Array) => new Uint8Array(zlib.gunzipSync(b));
      await expect(load((b) => plain(b).subarray(0, 5000))).rejects.toThrow(
        /cifar10\/[0-9a-f]{12}-data_batch_1\.bin\.gz has 5000 bytes, not a whole number of 3073-byte records/,
      );
      await expect(load((b) => Uint8Array.from(b, (x, i) => (i > 40 && i < 400 ? x ^ 0x55 : x)))).rejects.toThrow(
        /data_batch_1\.bin\.gz: gzip data is corrupt or truncated/,
      );
      await expect(
        load((b) => {
          const p = plain(b);
          p[3 * 3073] = 12;
          return p;
        }),
      ).rejects.toThrow(/data_batch_1\.bin\.gz: record 3 has label 12, outside 0\.\.9/);
    });
  });
});
