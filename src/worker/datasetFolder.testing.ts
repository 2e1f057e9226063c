// Test fixtures shared by the dataset source tests (worker and page side): a datasets/ folder
// prepared by `npm run datasets` from small idx files, and a fetch that serves it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll } from 'vitest';
import { prepareDatasets, type PrepareOptions } from '../../scripts/datasets';
import { CIFAR10_RECORD_BYTES } from '../core/data/cifar10';
import { encodeIdx } from '../core/data/idx';

/**
 * A datasets/ folder with Fashion-MNIST (60 / 20 images) and, with `cifar`, CIFAR-10 (six batches of
 * 13 records whose pixels differ by position and batch); removed after the test file.
 */
export function preparedFolder({ cifar = false } = {}): string {
  const made: string[] = [];
  const tmp = (name: string) => {
    made.push(mkdtempSync(path.join(os.tmpdir(), name)));
    return made[made.length - 1];
  };
  const src = tmp('fashion-src-');
  for (const part of ['train', 't10k']) {
    const n = part === 'train' ? 60 : 20;
    const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256);
    const idx = encodeIdx({ shape: [28, 28, 1], pixels, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), n });
    writeFileSync(path.join(src, `${part}-images-idx3-ubyte.gz`), zlib.gzipSync(idx.images));
    writeFileSync(path.join(src, `${part}-labels-idx1-ubyte.gz`), zlib.gzipSync(idx.labels));
  }
  const sources: PrepareOptions['sources'] = { 'fashion-mnist': src };
  if (cifar) {
    const dir = (sources.cifar10 = tmp('cifar-src-'));
    ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch'].forEach((f, b) => {
      const batch = Uint8Array.from({ length: 13 * CIFAR10_RECORD_BYTES }, (_, k) =>
        k % CIFAR10_RECORD_BYTES === 0 ? (k / CIFAR10_RECORD_BYTES + b) % 10 : (k * 31 + b * 7) & 255,
      );
      writeFileSync(path.join(dir, `${f}.bin.gz`), zlib.gzipSync(batch));
    });
  }
  const out = tmp('datasets-');
  prepareDatasets({ out, quick: true, sources, log: () => {} });
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return out;
}

/** A fetch answering "/datasets/<path>" from dir, 404 otherwise; records the URLs asked for. */
export function folderFetch(dir: string, asked: string[] = []): typeof fetch {
  return (async (url: string) => {
    asked.push(url);
    try {
      return new Response(readFileSync(path.join(dir, url.replace(/^\/datasets\//, ''))));
    } catch {
      return new Response('not found', { status: 404 });
    }
  }) as typeof fetch;
}
