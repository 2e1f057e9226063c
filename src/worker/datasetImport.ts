// Files a user drops onto the page, turned into a dataset the lab keeps: the official CIFAR-10
// tarball (cifar-10-binary.tar.gz) or the four Fashion-MNIST idx files. Everything is parsed with
// the core parsers (their messages are what a corrupt or wrong file reports) before anything is
// returned, and the result is what `npm run datasets` would write: the gzipped official files
// and a manifest entry with their sizes, SHA-256 and the training images' channel statistics.
import { CATALOG, CIFAR10_TARBALL, FASHION_FILES } from '../core/data/catalog';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, cifar10BatchesFromTar, parseCifar10Batch } from '../core/data/cifar10';
import { isGzip, maybeGunzip } from '../core/data/gzip';
import { parseIdxPair } from '../core/data/idx';
import { concatImages, type ByteImages } from '../core/data/images';
import type { ManifestEntry, ManifestFile } from '../core/data/manifest';
import { channelStats } from '../core/data/stats';

export interface DroppedFile {
  name: string;
  bytes: Uint8Array;
}

export interface PreparedDataset {
  entry: ManifestEntry;
  /** Manifest path to the gzipped bytes to store. */
  files: Map<string, Uint8Array>;
}

export interface ImportDeps {
  gzip(bytes: Uint8Array): Promise<Uint8Array>;
  onStep?(step: string): void;
}


const UNKNOWN =
  `drop the official ${CIFAR10_TARBALL} (CIFAR-10 binary version), or the four Fashion-MNIST files together: ${FASHION_FILES.join(', ')}`;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface OutFile {
  name: string;
  role: ManifestFile['role'];
  format: ManifestFile['format'];
  bytes: Uint8Array;
}

function cifar10(tarball: DroppedFile, deps: ImportDeps): { out: OutFile[]; train: ByteImages; test: ByteImages } {
  deps.onStep?.(`unpacking ${tarball.name}`);
  const { train, test } = cifar10BatchesFromTar(tarball.bytes);
  deps.onStep?.('checking the CIFAR-10 batches');
  const trainSets = train.map((b, i) => parseCifar10Batch(b, CIFAR10_TRAIN_FILES[i]));
  return {
    out: [
      ...train.map((bytes, i): OutFile => ({ name: CIFAR10_TRAIN_FILES[i], role: 'train', format: 'cifar10-bin', bytes })),
      { name: CIFAR10_TEST_FILE, role: 'test', format: 'cifar10-bin', bytes: test },
    ],
    train: concatImages(trainSets),
    test: parseCifar10Batch(test, CIFAR10_TEST_FILE),
  };
}

function fashionMnist(files: DroppedFile[], deps: ImportDeps): { out: OutFile[]; train: ByteImages; test: ByteImages } {
  const find = (base: string) => files.find((f) => f.name === base || f.name === `${base}.gz`);
  const missing = FASHION_FILES.filter((f) => !find(f.replace(/\.gz$/, '')));
  if (missing.length > 0) throw new Error(`Fashion-MNIST needs all four files; missing ${missing.join(', ')}`);
  const out: OutFile[] = [];
  const sets: ByteImages[] = [];
  for (const part of ['train', 't10k'] as const) {
    deps.onStep?.(`checking the Fashion-MNIST ${part} files`);
    const im = find(`${part}-images-idx3-ubyte`)!;
    const lb = find(`${part}-labels-idx1-ubyte`)!;
    sets.push(parseIdxPair(maybeGunzip(im.bytes, im.name), maybeGunzip(lb.bytes, lb.name), CATALOG['fashion-mnist'].numClasses, `Fashion-MNIST ${part}`));
    const role = part === 'train' ? 'train' : 'test';
    out.push({ name: `${part}-images-idx3-ubyte`, role, format: 'idx-images', bytes: im.bytes });
    out.push({ name: `${part}-labels-idx1-ubyte`, role, format: 'idx-labels', bytes: lb.bytes });
  }
  const [train, test] = sets;
  const [h, w] = CATALOG['fashion-mnist'].shape;
  if (train.shape[0] !== h || train.shape[1] !== w) throw new Error(`Fashion-MNIST images are ${train.shape.join('x')}, expected ${h}x${w}: not the Fashion-MNIST files`);
  return { out, train, test };
}

/** Parses the dropped files into a dataset to store; throws the parsers' message when they are corrupt or not a dataset. */
export async function prepareImport(files: DroppedFile[], deps: ImportDeps): Promise<PreparedDataset> {
  const tarball = files.find((f) => /\.(tar\.gz|tgz|tar)$/.test(f.name));
  const isFashion = files.some((f) => /^(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/.test(f.name));
  if (!tarball && !isFashion) throw new Error(`${files.map((f) => f.name).join(', ') || 'no file'}: not a dataset file the lab knows; ${UNKNOWN}`);
  const name = tarball ? 'cifar10' : 'fashion-mnist';
  const parsed = tarball ? cifar10(tarball, deps) : fashionMnist(files, deps);

  deps.onStep?.('compressing and hashing the files');
  const stored = new Map<string, Uint8Array>();
  const manifestFiles: ManifestFile[] = [];
  for (const f of parsed.out) {
    const gz = isGzip(f.bytes) ? f.bytes : await deps.gzip(f.bytes);
    const hash = await sha256(gz);
    // The hash in the path keeps a re-import from overwriting files the stored manifest still lists.
    const path = `${name}/${hash.slice(0, 12)}-${f.name}.gz`;
    stored.set(path, gz);
    manifestFiles.push({ path, role: f.role, format: f.format, bytes: gz.length, sha256: hash });
  }
  const stats = channelStats(parsed.train);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const entry: ManifestEntry = {
    name,
    classNames: [...CATALOG[name].classNames],
    shape: [...parsed.train.shape],
    train: parsed.train.n,
    test: parsed.test.n,
    mean: stats.mean.map(round),
    std: stats.std.map(round),
    source: `dropped into the page: ${files.map((f) => f.name).join(', ')}`,
    files: manifestFiles,
  };
  return { entry, files: stored };
}
