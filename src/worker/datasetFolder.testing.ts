// Test fixtures shared by the dataset source tests (worker and page side): a datasets/ folder
// prepared by `npm run datasets` from small idx files, and a fetch that serves it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { prepareDatasets } from '../../scripts/datasets';
import { encodeIdx } from '../core/data/idx';

export function preparedFolder(): string {
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
