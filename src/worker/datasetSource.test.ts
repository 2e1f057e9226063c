// The worker's loader, with fetch served from a folder prepared by `npm run datasets` (fixtures).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prepareDatasets } from '../../scripts/datasets';
import { loadSplit } from '../../scripts/lib/loadSplit';
import { encodeIdx } from '../core/data/idx';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { datasetStatus, loadSplitInWorker, type LoadProgress } from './datasetSource';

function preparedFolder(): string {
  const src = mkdtempSync(path.join(os.tmpdir(), 'fashion-src-'));
  for (const part of ['train', 't10k']) {
    const n = part === 'train' ? 60 : 20;
    const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256);
    const idx = encodeIdx({ shape: [28, 28, 1], pixels, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), n });
    writeFileSync(path.join(src, `${part}-images-idx3-ubyte.gz`), zlib.gzipSync(idx.images));
    writeFileSync(path.join(src, `${part}-labels-idx1-ubyte.gz`), zlib.gzipSync(idx.labels));
  }
  const out = mkdtempSync(path.join(os.tmpdir(), 'datasets-'));
  prepareDatasets({ out, quick: true, sources: { 'fashion-mnist': src }, log: () => {} });
  return out;
}

/** A fetch answering "/datasets/<path>" from dir, 404 otherwise; records the URLs asked for. */
function folderFetch(dir: string, asked: string[] = []): typeof fetch {
  return (async (url: string) => {
    asked.push(url);
    try {
      return new Response(readFileSync(path.join(dir, url.replace(/^\/datasets\//, ''))));
    } catch {
      return new Response('not found', { status: 404 });
    }
  }) as typeof fetch;
}

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
    const split = await loadSplitInWorker(s, (p) => progress.push(p), { base: '/datasets/', fetch: folderFetch(dir, asked) });
    const node = await loadSplit(s, { dir });
    expect(split.train.x).toEqual(node.train.x);
    expect(split.test.y).toEqual(node.test.y);
    expect(asked.every((u) => u.startsWith('/datasets/'))).toBe(true);
    expect(asked[0]).toBe('/datasets/manifest.json');
    const last = progress[progress.length - 1];
    expect(last.loaded).toBe(last.total);
  });

  it('reports ready and missing datasets for the picker', async () => {
    const status = await datasetStatus({ base: '/datasets/', fetch: folderFetch(dir) });
    expect(status['fashion-mnist'].ready).toBe(true);
    expect(status.shapes.ready).toBe(true);
    expect(status.cifar10).toEqual({ ready: false, reason: expect.stringMatching(/cifar10 is not prepared: run npm run datasets/) });
    const none = await datasetStatus({ base: '/datasets/', fetch: folderFetch(path.join(dir, 'nowhere')) });
    expect(none.mnist).toEqual({ ready: false, reason: expect.stringMatching(/manifest.json is missing \(HTTP 404\)/) });
    expect(none.toy.ready).toBe(true);
  });

  it('fails with a named error for a missing dataset and a file of the wrong size', async () => {
    await expect(loadSplitInWorker(spec('cifar10', 100, 30), undefined, { base: '/datasets/', fetch: folderFetch(dir) })).rejects.toThrow(
      /dataset cifar10 is not prepared/,
    );
    const cut = folderFetch(dir);
    const cutFetch = (async (url: string) => {
      const res = await cut(url);
      return url.endsWith('.gz') ? new Response((await res.arrayBuffer()).slice(0, 50)) : res;
    }) as typeof fetch;
    await expect(loadSplitInWorker(spec('fashion-mnist', 30, 10), undefined, { base: '/datasets/', fetch: cutFetch })).rejects.toThrow(
      /fashion-mnist\/[0-9a-f]{12}-train-images-idx3-ubyte\.gz has 50 bytes, the manifest says \d+/,
    );
  });
});
