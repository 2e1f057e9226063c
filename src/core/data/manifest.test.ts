import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest';

const entry = {
  name: 'cifar10',
  classNames: ['a', 'b'],
  shape: [32, 32, 3],
  train: 10,
  test: 5,
  mean: [0.5, 0.5, 0.5],
  std: [0.25, 0.25, 0.25],
  source: 'test',
  files: [
    { path: 'cifar10/test_batch.bin.gz', role: 'test', format: 'cifar10-bin', bytes: 10, sha256: 'a'.repeat(64) },
  ],
};
const manifest = (e: Record<string, unknown>) => ({ version: 1, datasets: { cifar10: e } });

describe('dataset manifest', () => {
  it('reads a good manifest, and the one npm run datasets wrote', () => {
    expect(parseManifest(manifest(entry)).datasets.cifar10).toEqual(entry);
    expect(() => parseManifest(JSON.parse(readFileSync('datasets/manifest.json', 'utf8')))).not.toThrow();
  });

  it('names the bad field instead of failing on it (an entry without shape, a path out of its folder, a stray key)', () => {
    const { shape: _, ...noShape } = entry;
    expect(() => parseManifest(manifest(noShape))).toThrow(
      /^datasets\/manifest\.json: datasets\.cifar10\.shape: is missing; run `npm run datasets`/,
    );
    expect(() => parseManifest(manifest({ ...entry, files: [{ ...entry.files[0], path: 'mnist/x.gz' }] }))).toThrow(
      /file mnist\/x\.gz is outside cifar10\//,
    );
    expect(() =>
      parseManifest(manifest({ ...entry, files: [{ ...entry.files[0], path: '../../etc/passwd' }] })),
    ).toThrow(/files\[0\]\.path: must be a path/);
    expect(() => parseManifest(JSON.parse('{"version":1,"datasets":{},"__proto__":{}}'))).toThrow(
      /__proto__: is not a known field/,
    );
    expect(() => parseManifest({ version: 2, datasets: {} })).toThrow(/version: must be 1, got 2/);
  });
});
