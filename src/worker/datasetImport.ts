// Files a user drops onto the page, turned into a dataset the lab keeps: the official CIFAR-10
// tarball (cifar-10-binary.tar.gz) or the four Fashion-MNIST idx files, prepared as
// `npm run datasets` prepares them (core/data/prepare.ts).
import { CIFAR10_TARBALL, FASHION_FILES } from '../core/data/catalog';
import { isGzip } from '../core/data/gzip';
import type { ManifestEntry } from '../core/data/manifest';
import { datasetOfFiles, manifestEntry, parseDatasetFiles, type KeptBytes, type NamedFile } from '../core/data/prepare';

export type DroppedFile = NamedFile;

export interface PreparedDataset {
  entry: ManifestEntry;
  /** Manifest path to the gzipped bytes to store. */
  files: Map<string, Uint8Array>;
}

export interface ImportDeps {
  gzip(bytes: Uint8Array): Promise<Uint8Array>;
  onStep?(step: string): void;
}

const UNKNOWN = `drop the official ${CIFAR10_TARBALL} (CIFAR-10 binary version), or the four Fashion-MNIST files together: ${FASHION_FILES.join(', ')}`;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses the dropped files into a dataset to store; throws the parsers' message when they are corrupt or not a dataset. */
export async function prepareImport(files: DroppedFile[], deps: ImportDeps): Promise<PreparedDataset> {
  const name = datasetOfFiles(files);
  if (!name)
    throw new Error(
      `${files.map((f) => f.name).join(', ') || 'no file'}: not a dataset file the lab knows; ${UNKNOWN}`,
    );
  const parsed = parseDatasetFiles(name, files, deps.onStep);
  deps.onStep?.('compressing and hashing the files');
  const kept: KeptBytes[] = [];
  for (const f of parsed.files) {
    const gz = isGzip(f.bytes) ? f.bytes : await deps.gzip(f.bytes);
    kept.push({ gz, sha256: await sha256(gz) });
  }
  return manifestEntry(parsed, kept, `dropped into the page: ${files.map((f) => f.name).join(', ')}`);
}
