// A file-based dataset as loaded: the full train and test sets (or one pool) as bytes, before
// the seeded subsets of a run are taken. Both edges (Node, worker) read the manifest's files and
// hand them here, so the parsing is the same everywhere.
import { parseCifar10Batch } from './cifar10';
import { parseIdxPair } from './idx';
import { concatImages, type ByteImages } from './images';
import type { FileRole, ManifestEntry } from './manifest';

export type FileSource = { kind: 'split'; train: ByteImages; test: ByteImages } | { kind: 'pool'; pool: ByteImages };

/** Parses the entry's files of the roles needed; `files` maps a manifest path to its bytes (plain or gzipped). */
export function sourceFromFiles(entry: ManifestEntry, files: Map<string, Uint8Array>): FileSource {
  const part = (role: FileRole): ByteImages => {
    const of = entry.files.filter((f) => f.role === role);
    const bytes = (path: string): Uint8Array => {
      const b = files.get(path);
      if (!b) throw new Error(`${entry.name}: file ${path} was not loaded`);
      return b;
    };
    const cifar = of.filter((f) => f.format === 'cifar10-bin');
    let images: ByteImages;
    if (cifar.length > 0) {
      images = concatImages(cifar.map((f) => parseCifar10Batch(bytes(f.path), f.path)));
    } else {
      const im = of.find((f) => f.format === 'idx-images');
      const lb = of.find((f) => f.format === 'idx-labels');
      if (!im || !lb) throw new Error(`${entry.name}: the manifest lists no ${role} images and labels`);
      images = parseIdxPair(bytes(im.path), bytes(lb.path), entry.classNames.length, `${entry.name} ${role}`);
    }
    const [h, w, c] = entry.shape;
    if (images.shape[0] !== h || images.shape[1] !== w || images.shape[2] !== c) {
      throw new Error(
        `${entry.name} ${role}: images are ${images.shape.join('x')}, the manifest says ${entry.shape.join('x')}`,
      );
    }
    return images;
  };
  return entry.pooled !== undefined
    ? { kind: 'pool', pool: part('pool') }
    : { kind: 'split', train: part('train'), test: part('test') };
}
