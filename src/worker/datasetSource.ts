// The run worker's edge of the datasets: fetches datasets/manifest.json and the files it lists
// from this origin (never a remote host), gunzips them with DecompressionStream('gzip') where the
// browser has it (fflate otherwise), and builds the split with the same core parsers as Node.
// Datasets a user dropped onto the page (localDatasets.ts, browser storage) are a second source,
// used for a dataset datasets/ does not have.
import { CATALOG } from '../core/data/catalog';
import type { DatasetSplit } from '../core/data/dataset';
import { gunzip, isGzip } from '../core/data/gzip';
import { parseManifest, type Manifest, type ManifestEntry } from '../core/data/manifest';
import { sourceBuilder, type FileSource } from '../core/data/source';
import { buildSplit } from '../core/data/split';
import type { ExperimentSpec } from '../core/spec';
import { localManifest, readLocalFile } from './localDatasets';

export interface LoadProgress {
  /** Bytes received so far over all files, and the total the manifest lists. */
  loaded: number;
  total: number;
  file: string;
}

export interface SourceOptions {
  /** Folder URL of datasets/, same origin; defaults to the app's base URL + "datasets/". */
  base?: string;
  /** For tests: a fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** The datasets kept in browser storage; defaults to Cache Storage (none where there is none). */
  local?: { manifest(): Promise<Manifest>; read(path: string): Promise<Uint8Array | undefined> };
}

export const localSource = (opts: SourceOptions) => opts.local ?? { manifest: localManifest, read: readLocalFile };

function baseUrl(opts: SourceOptions): string {
  return opts.base ?? `${import.meta.env?.BASE_URL ?? '/'}datasets/`;
}

/** datasets/manifest.json, or why there is none. */
export async function fetchManifest(opts: SourceOptions): Promise<Manifest | string> {
  const res = await (opts.fetch ?? fetch)(`${baseUrl(opts)}manifest.json`).catch((e: Error) => e);
  if (res instanceof Error) return `datasets/manifest.json could not be fetched (${res.message})`;
  if (!res.ok) return `datasets/manifest.json is missing (HTTP ${res.status}): run npm run datasets`;
  try {
    return parseManifest(await res.json());
  } catch (e) {
    return (e as Error).message;
  }
}

async function readBody(res: Response, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onChunk(value.length);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Hands a body's bytes to `write` as they come, gunzipped on the way when they are gzip (a server
 * may have unzipped them already); returns how many bytes came, and whether they were gzip.
 */
async function streamBody(
  body: ReadableStream<Uint8Array>,
  what: string,
  onChunk: (bytes: number) => void,
  write: (chunk: Uint8Array) => void,
): Promise<{ bytes: number; gzipped: boolean }> {
  const reader = body.getReader();
  let bytes = 0;
  const read = async () => {
    const r = await reader.read();
    if (!r.done) {
      bytes += r.value.length;
      onChunk(r.value.length);
    }
    return r;
  };
  // Enough of the head to tell gzip by its magic bytes.
  const head: Uint8Array[] = [];
  let ended = false;
  while (!ended && head.reduce((n, c) => n + c.length, 0) < 2) {
    const r = await read();
    if (r.done) ended = true;
    else head.push(r.value);
  }
  const gzipped = isGzip(head.length === 1 ? head[0] : new Uint8Array(head.flatMap((c) => [...c])));
  const counted = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of head) controller.enqueue(c);
      if (ended) controller.close();
    },
    async pull(controller) {
      const r = await read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const out = (
    gzipped
      ? counted.pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>)
      : counted
  ).getReader();
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await out.read();
    } catch (e) {
      throw gzipped ? new Error(`${what}: gzip data is corrupt or truncated (${(e as Error).message})`) : e;
    }
    if (r.done) return { bytes, gzipped };
    try {
      write(r.value);
    } catch (e) {
      await out.cancel();
      throw e;
    }
  }
}

async function gunzipFast(bytes: Uint8Array, what: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream === 'undefined') return gunzip(bytes, what);
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`${what}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}

/** The spec's DatasetSplit: generated from the seed, or fetched from datasets/ and subset by seed. */
export async function loadSplitInWorker(
  spec: ExperimentSpec,
  onProgress?: (p: LoadProgress) => void,
  opts: SourceOptions = {},
): Promise<DatasetSplit> {
  const name = spec.dataset.name;
  if (CATALOG[name].origin === 'generated') return buildSplit(spec);
  const manifest = await fetchManifest(opts);
  const served = typeof manifest === 'string' ? undefined : manifest.datasets[name];
  const kept = served ? undefined : (await localSource(opts).manifest()).datasets[name];
  if (kept) return buildSplit(spec, await readKept(kept, localSource(opts), onProgress));
  if (typeof manifest === 'string') throw new Error(`dataset ${name} cannot be loaded: ${manifest}`);
  const entry = served;
  if (!entry) throw new Error(`dataset ${name} is not prepared: run npm run datasets (see datasets/README.md)`);
  const total = entry.files.reduce((s, f) => s + f.bytes, 0);
  let loaded = 0;
  // File by file: each is parsed as it comes, and its bytes are not kept (core/data/source.ts).
  const source = sourceBuilder(entry);
  for (const f of entry.files) {
    const res = await (opts.fetch ?? fetch)(`${baseUrl(opts)}${f.path}`);
    if (!res.ok)
      throw new Error(`dataset ${name}: ${f.path} could not be fetched (HTTP ${res.status}): run npm run datasets`);
    const counted = (n: number) => {
      loaded += n;
      onProgress?.({ loaded, total, file: f.path });
    };
    // A server may gunzip on the way (Content-Encoding: gzip): only bytes still gzipped are as stored.
    const checkSize = (bytes: number, gzipped: boolean) => {
      if (gzipped && bytes !== f.bytes)
        throw new Error(
          `dataset ${name}: ${f.path} has ${bytes} bytes, the manifest says ${f.bytes}: run npm run datasets`,
        );
    };
    if (f.format === 'cifar10-bin' && res.body && typeof DecompressionStream !== 'undefined') {
      // Parsed as it streams in: CIFAR-10's six 30 MB files are never held, compressed or not.
      const batch = source.stream(f.path);
      const got = await streamBody(res.body, f.path, counted, batch.write);
      checkSize(got.bytes, got.gzipped);
      batch.end();
      continue;
    }
    const bytes = await readBody(res, counted);
    checkSize(bytes.length, isGzip(bytes));
    source.add(f.path, await gunzipFast(bytes, f.path));
  }
  return buildSplit(spec, source.done());
}

/** A dataset kept in browser storage, parsed file by file; a file gone from storage asks for the drop again. */
async function readKept(
  entry: ManifestEntry,
  local: NonNullable<SourceOptions['local']>,
  onProgress?: (p: LoadProgress) => void,
): Promise<FileSource> {
  const total = entry.files.reduce((s, f) => s + f.bytes, 0);
  let loaded = 0;
  const source = sourceBuilder(entry);
  for (const f of entry.files) {
    const bytes = await local.read(f.path);
    if (!bytes)
      throw new Error(
        `dataset ${entry.name}: ${f.path} is gone from browser storage: drop the dataset's files onto the page again`,
      );
    loaded += bytes.length;
    onProgress?.({ loaded, total, file: f.path });
    source.add(f.path, await gunzipFast(bytes, f.path));
  }
  return source.done();
}
