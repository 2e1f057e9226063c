// A file-based dataset as loaded: the full train and test sets (or one pool) as bytes, before
// the seeded subsets of a run are taken. Both edges (Node, worker) read the manifest's files and
// hand them here, so the parsing is the same everywhere. Files are taken one at a time and parsed
// as they come, a role's CIFAR-10 batches straight into one buffer: an edge that reads file by file
// never holds every unpacked file, their parsed copies and the joined set at once (CIFAR-10: ~500 MB),
// and one that streams a batch (the worker) never holds even one file, compressed or not.
import { CIFAR10_SIDE, cifar10RecordReader } from './cifar10';
import { maybeGunzip } from './gzip';
import { parseIdxPair } from './idx';
import type { ByteImages } from './images';
import type { FileRole, ManifestEntry } from './manifest';

export type FileSource = { kind: 'split'; train: ByteImages; test: ByteImages } | { kind: 'pool'; pool: ByteImages };

export interface SourceBuilder {
  /** One of the entry's files (plain or gzipped bytes); it is parsed now and not kept (an idx file waits for its pair). */
  add(path: string, bytes: Uint8Array): void;
  /**
   * A CIFAR-10 batch file as its plain (gunzipped) bytes come: each record goes into its role's set
   * as soon as it is whole, so the file is never held whole. `end` once the last chunk is written.
   */
  stream(path: string): { write(chunk: Uint8Array): void; end(): void };
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
  const fileOf = (path: string) => {
    const file = entry.files.find((f) => f.path === path);
    if (!file) throw new Error(`${entry.name}: file ${path} is not in the manifest`);
    added.add(path);
    return file;
  };
  const checkShape = (role: FileRole, shape: ByteImages['shape']) => {
    if (shape[0] !== h || shape[1] !== w || shape[2] !== c)
      throw new Error(
        `${entry.name} ${role}: images are ${shape.join('x')}, the manifest says ${entry.shape.join('x')}`,
      );
  };
  const CIFAR10_SHAPE: ByteImages['shape'] = [CIFAR10_SIDE, CIFAR10_SIDE, 3];
  /** Appends one CIFAR-10 record to its role's set, allocated once at the manifest's size (grown if it holds more). */
  const appendRecord = (role: FileRole, label: number, pixels: Uint8Array) => {
    let set = parsed.get(role);
    const at = set?.n ?? 0;
    if (!set || (at + 1) * size > set.pixels.length) {
      const capacity = Math.max(expected(role), 2 * at, 1);
      const grown: ByteImages = {
        shape: CIFAR10_SHAPE,
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
    set.pixels.set(pixels, at * size);
    set.labels[at] = label;
    set.n = at + 1;
  };
  const stream = (path: string) => {
    const file = fileOf(path);
    if (file.format !== 'cifar10-bin') throw new Error(`${entry.name}: ${path} is not a CIFAR-10 batch`);
    checkShape(file.role, CIFAR10_SHAPE);
    const reader = cifar10RecordReader((label, pixels) => appendRecord(file.role, label, pixels), path);
    return { write: reader.write, end: () => void reader.end() };
  };
  return {
    add(path, bytes) {
      const file = fileOf(path);
      if (file.format === 'cifar10-bin') {
        const s = stream(path);
        s.write(maybeGunzip(bytes, path));
        return s.end();
      }
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
      checkShape(file.role, images.shape);
      parsed.set(file.role, images);
    },
    stream,
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
