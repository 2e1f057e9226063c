// A file-based dataset as loaded: the full train and test sets (or one pool) as bytes, before
// the seeded subsets of a run are taken. Both edges (Node, worker) read the manifest's files and
// hand them here, so the parsing is the same everywhere. Files are taken one at a time and parsed
// as they come, a role's CIFAR-10 batches straight into one buffer: an edge that reads file by file
// never holds every unpacked file, their parsed copies and the joined set at once (CIFAR-10: ~500 MB).
import { parseCifar10Batch } from './cifar10';
import { parseIdxPair } from './idx';
import type { ByteImages } from './images';
import type { FileRole, ManifestEntry } from './manifest';

export type FileSource = { kind: 'split'; train: ByteImages; test: ByteImages } | { kind: 'pool'; pool: ByteImages };

export interface SourceBuilder {
  /** One of the entry's files (plain or gzipped bytes); it is parsed now and not kept (an idx file waits for its pair). */
  add(path: string, bytes: Uint8Array): void;
  /** The parsed sets; throws when a file of a needed role was not added. */
  done(): FileSource;
}

export function sourceBuilder(entry: ManifestEntry): SourceBuilder {
  const [h, w, c] = entry.shape;
  const size = h * w * c;
  const roles: FileRole[] = entry.pooled !== undefined ? ['pool'] : ['train', 'test'];
  const expected = (role: FileRole) => (role === 'pool' ? (entry.pooled ?? 0) : entry[role]);
  const parsed = new Map<FileRole, ByteImages>();
  const waiting = new Map<string, Uint8Array>();
  const added = new Set<string>();
  const checkShape = (role: FileRole, images: ByteImages) => {
    if (images.shape[0] !== h || images.shape[1] !== w || images.shape[2] !== c)
      throw new Error(
        `${entry.name} ${role}: images are ${images.shape.join('x')}, the manifest says ${entry.shape.join('x')}`,
      );
  };
  /** Appends a CIFAR-10 batch to its role's set, allocated once at the manifest's size. */
  const append = (role: FileRole, batch: ByteImages) => {
    checkShape(role, batch);
    let set = parsed.get(role);
    const at = set?.n ?? 0;
    if (!set || (at + batch.n) * size > set.pixels.length) {
      const capacity = Math.max(expected(role), at + batch.n);
      const grown = {
        shape: batch.shape,
        pixels: new Uint8Array(capacity * size),
        labels: new Uint8Array(capacity),
        n: at,
      };
      if (set) {
        grown.pixels.set(set.pixels.subarray(0, at * size));
        grown.labels.set(set.labels.subarray(0, at));
      }
      set = grown;
      parsed.set(role, set);
    }
    set.pixels.set(batch.pixels, at * size);
    set.labels.set(batch.labels, at);
    set.n = at + batch.n;
  };
  return {
    add(path, bytes) {
      const file = entry.files.find((f) => f.path === path);
      if (!file) throw new Error(`${entry.name}: file ${path} is not in the manifest`);
      added.add(path);
      if (file.format === 'cifar10-bin') return append(file.role, parseCifar10Batch(bytes, path));
      waiting.set(path, bytes);
      const of = entry.files.filter((f) => f.role === file.role);
      const im = of.find((f) => f.format === 'idx-images');
      const lb = of.find((f) => f.format === 'idx-labels');
      if (!im || !lb || !waiting.has(im.path) || !waiting.has(lb.path)) return;
      const images = parseIdxPair(
        waiting.get(im.path)!,
        waiting.get(lb.path)!,
        entry.classNames.length,
        `${entry.name} ${file.role}`,
      );
      waiting.delete(im.path);
      waiting.delete(lb.path);
      checkShape(file.role, images);
      parsed.set(file.role, images);
    },
    done() {
      const part = (role: FileRole): ByteImages => {
        const of = entry.files.filter((f) => f.role === role);
        const missing = of.find((f) => !added.has(f.path));
        if (missing) throw new Error(`${entry.name}: file ${missing.path} was not loaded`);
        const set = parsed.get(role);
        if (!set) throw new Error(`${entry.name}: the manifest lists no ${role} images and labels`);
        return { ...set, pixels: set.pixels.subarray(0, set.n * size), labels: set.labels.subarray(0, set.n) };
      };
      return roles[0] === 'pool'
        ? { kind: 'pool', pool: part('pool') }
        : { kind: 'split', train: part('train'), test: part('test') };
    },
  };
}

/** Parses the entry's files of the roles needed; `files` maps a manifest path to its bytes (plain or gzipped). */
export function sourceFromFiles(entry: ManifestEntry, files: Map<string, Uint8Array>): FileSource {
  const builder = sourceBuilder(entry);
  for (const f of entry.files) {
    const bytes = files.get(f.path);
    if (bytes) builder.add(f.path, bytes);
  }
  return builder.done();
}
