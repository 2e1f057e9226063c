// Node edge of the datasets: reads what `npm run datasets` prepared under datasets/ (or generates
// the seed-made sets) and builds the experiment's DatasetSplit with the core parsers.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { DatasetSplit } from '../../src/core/data/dataset';
import { CATALOG } from '../../src/core/data/catalog';
import { parseManifest } from '../../src/core/data/manifest';
import { sourceFromFiles, type FileSource } from '../../src/core/data/source';
import { buildSplit } from '../../src/core/data/split';
import type { DatasetName, ExperimentSpec } from '../../src/core/spec';

export const DATASETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'datasets');

const PREPARE: Record<DatasetName, string> = {
  mnist: 'npm run datasets -- --quick',
  'fashion-mnist':
    'npm run datasets -- --fashion-mnist PATH (or apt-get install dataset-fashion-mnist, then npm run datasets)',
  cifar10: 'npm run datasets -- --cifar10 PATH',
  shapes: '',
  toy: '',
};

/** The full train/test sets (or pool) of a prepared file-based dataset, parsed with the core parsers. */
export function loadSource(name: DatasetName, dir = DATASETS_DIR): FileSource {
  const missing = (why: string): Error =>
    new Error(`dataset ${name} is not ready in ${dir} (${why}): run ${PREPARE[name]}`);
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw missing('no manifest.json');
  const entry = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8'))).datasets[name];
  if (!entry) throw missing('not in manifest.json');
  const files = new Map<string, Uint8Array>();
  for (const f of entry.files) {
    const p = path.join(dir, f.path);
    if (!existsSync(p) || statSync(p).size !== f.bytes) throw missing(`${f.path} is missing or has changed`);
    const bytes = readFileSync(p);
    // zlib is several times faster than the parsers' own fflate fallback on 30 MB files.
    files.set(f.path, new Uint8Array(bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes) : bytes));
  }
  return sourceFromFiles(entry, files);
}

/** The DatasetSplit of the spec: generated from the seed, or seeded subsets of the prepared files. */
export async function loadSplit(spec: ExperimentSpec, opts: { dir?: string } = {}): Promise<DatasetSplit> {
  const name = spec.dataset.name;
  return buildSplit(spec, CATALOG[name].origin === 'files' ? loadSource(name, opts.dir) : undefined);
}
