// The worker's loader, with fetch served from a folder prepared by `npm run datasets` (fixtures).
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
});
