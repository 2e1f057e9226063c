// Dropped files to a stored dataset: parsed with the core parsers, stored as the gzipped official
// files with a manifest entry, and read back by the worker's loader as its second source.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../core/data/idx';
import { MANIFEST_VERSION, parseManifest, type Manifest } from '../core/data/manifest';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { prepareImport, type DroppedFile } from './datasetImport';
import { loadSplitInWorker } from './datasetSource';

const gzip = async (b: Uint8Array) => new Uint8Array(zlib.gzipSync(b));
const notFound = (async () => new Response('not found', { status: 404 })) as unknown as typeof fetch;

/** The four Fashion-MNIST files of 30 / 20 tiny images; the train labels plain (not gzipped). */
function fashionFiles(side = 28): DroppedFile[] {
  const files: DroppedFile[] = [];
  for (const part of ['train', 't10k']) {
    const n = part === 'train' ? 30 : 20;
    const pixels = Uint8Array.from({ length: n * side * side }, (_, i) => (i * 13) % 256);
    const idx = encodeIdx({
      shape: [side, side, 1],
      pixels,
      labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
      n,
    });
    files.push({ name: `${part}-images-idx3-ubyte.gz`, bytes: new Uint8Array(zlib.gzipSync(idx.images)) });
    files.push(
      part === 'train'
        ? { name: 'train-labels-idx1-ubyte', bytes: idx.labels }
        : { name: `${part}-labels-idx1-ubyte.gz`, bytes: new Uint8Array(zlib.gzipSync(idx.labels)) },
    );
  }
  return files;
}

describe('dataset import', () => {
  it('turns the four Fashion-MNIST files into a manifest entry of gzipped, hashed files the loader reads back', async () => {
    const steps: string[] = [];
    const { entry, files } = await prepareImport(fashionFiles(), { gzip, onStep: (s) => steps.push(s) });
    expect(entry).toMatchObject({ name: 'fashion-mnist', shape: [28, 28, 1], train: 30, test: 20 });
    expect(entry.mean[0]).toBeGreaterThan(0);
    expect(entry.files.map((f) => [f.role, f.format])).toEqual([
      ['train', 'idx-images'],
      ['train', 'idx-labels'],
      ['test', 'idx-images'],
      ['test', 'idx-labels'],
    ]);
    for (const f of entry.files) {
      expect(f.path).toMatch(new RegExp(`^fashion-mnist/${f.sha256.slice(0, 12)}-[a-z0-9-]+-ubyte\\.gz$`));
      const bytes = files.get(f.path)!;
      expect(bytes[0] === 0x1f && bytes[1] === 0x8b && bytes.length === f.bytes).toBe(true); // the plain labels were gzipped
    }
    expect(steps.length).toBeGreaterThan(0);
    const local: Manifest = parseManifest({ version: MANIFEST_VERSION, datasets: { 'fashion-mnist': entry } });

    // Not served by datasets/ (404) but kept in the browser: loads from there (state/datasetStatus.test.ts: and is ready there).
    const store = { manifest: async () => local, read: async (p: string) => files.get(p) };
    const spec: ExperimentSpec = {
      ...structuredClone(DEFAULT_SPEC),
      dataset: { ...DEFAULT_SPEC.dataset, name: 'fashion-mnist', trainSize: 20, testSize: 10 },
    };
    const loaded: number[] = [];
    const split = await loadSplitInWorker(spec, (p) => loaded.push(p.loaded), { fetch: notFound, local: store });
    expect([split.train.n, split.test.n]).toEqual([20, 10]);
    expect(loaded.at(-1)).toBe(entry.files.reduce((s, f) => s + f.bytes, 0));
    // A stored file gone missing asks for the drop again.
    await expect(
      loadSplitInWorker(spec, undefined, { fetch: notFound, local: { ...store, read: async () => undefined } }),
    ).rejects.toThrow(/gone from browser storage: drop/);
  });

  it("rejects corrupt, incomplete, wrong-sized and unknown files with the parsers' messages", async () => {
    const deps = { gzip };
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) % 251);
    await expect(
      prepareImport([{ name: 'cifar-10-binary.tar.gz', bytes: Uint8Array.from([0x1f, 0x8b, ...garbage]) }], deps),
    ).rejects.toThrow(/gzip data is corrupt or truncated/);
    await expect(prepareImport([{ name: 'cifar-10-binary.tar.gz', bytes: garbage }], deps)).rejects.toThrow(
      /not a tar archive or corrupt|bad numeric field/,
    );
    await expect(prepareImport(fashionFiles().slice(0, 3), deps)).rejects.toThrow(/missing t10k-labels-idx1-ubyte\.gz/);
    await expect(prepareImport(fashionFiles(8), deps)).rejects.toThrow(/images are 8x8x1, expected 28x28/);
    const cut = fashionFiles();
    cut[0] = {
      name: cut[0].name,
      bytes: new Uint8Array(zlib.gzipSync(zlib.gunzipSync(cut[0].bytes).subarray(0, 1000))),
    };
    await expect(prepareImport(cut, deps)).rejects.toThrow(/truncated/);
    await expect(prepareImport([{ name: 'holiday.jpg', bytes: garbage }], deps)).rejects.toThrow(
      /holiday\.jpg: not a dataset file the lab knows; drop the official cifar-10-binary\.tar\.gz/,
    );
  });

  it('refuses a file whose gzip trailer is forged (a wrong CRC-32, or a size of 4 GiB declared), before anything is stored', async () => {
    for (const forge of [
      (v: DataView, end: number) => v.setUint32(end - 8, v.getUint32(end - 8, true) ^ 1, true),
      (v: DataView, end: number) => v.setUint32(end - 4, 0xffffffff, true),
    ]) {
      const files = fashionFiles();
      const bytes = files[0].bytes.slice();
      forge(new DataView(bytes.buffer), bytes.length);
      files[0] = { name: files[0].name, bytes };
      await expect(prepareImport(files, { gzip })).rejects.toThrow(
        /train-images-idx3-ubyte\.gz: gzip data is corrupt or truncated \((CRC-32 mismatch|the trailer declares 4294967295 bytes)/,
      );
    }
  });
});
