// Datasets a user dropped onto the page, kept in the browser's Cache Storage as the same gzipped
// official files `npm run datasets` prepares, with a manifest of their own. The page and the run
// workers (same origin) read them as a second source beside datasets/. An import writes its
// files first and the manifest last, so an import that fails part-way leaves what was stored.
import { MANIFEST_VERSION, parseManifest, type Manifest, type ManifestEntry } from '../core/data/manifest';

const CACHE = 'duality-lab-datasets-v1';
/** Cache keys are URLs of this origin that no server answers; they never go to the network. */
const KEY_ROOT = '/__local-datasets/';
const MANIFEST_KEY = `${KEY_ROOT}manifest.json`;

const available = () => typeof caches !== 'undefined';

/** The stored datasets; empty when nothing is stored or the browser has no Cache Storage. */
export async function localManifest(): Promise<Manifest> {
  const empty: Manifest = { version: MANIFEST_VERSION, datasets: {} };
  if (!available()) return empty;
  const res = await (await caches.open(CACHE)).match(MANIFEST_KEY);
  if (!res) return empty;
  try {
    return parseManifest(await res.json());
  } catch {
    return empty; // written by another version: the user can drop the files again
  }
}

/** A stored file's bytes (gzipped, as listed), or undefined when it is not stored. */
export async function readLocalFile(path: string): Promise<Uint8Array | undefined> {
  if (!available()) return undefined;
  const res = await (await caches.open(CACHE)).match(KEY_ROOT + path);
  return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
}

/** Stores one dataset's files, then lists it in the manifest (replacing an older entry of the same name). */
export async function storeLocalDataset(entry: ManifestEntry, files: Map<string, Uint8Array>): Promise<void> {
  if (!available())
    throw new Error('this browser has no Cache Storage: the dataset cannot be kept (use npm run datasets instead)');
  const cache = await caches.open(CACHE);
  for (const f of entry.files) {
    const bytes = files.get(f.path);
    if (!bytes) throw new Error(`${entry.name}: no bytes for ${f.path}`);
    await cache.put(
      KEY_ROOT + f.path,
      new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } }),
    );
  }
  const manifest = await localManifest();
  const old = manifest.datasets[entry.name];
  manifest.datasets[entry.name] = entry;
  await cache.put(
    MANIFEST_KEY,
    new Response(JSON.stringify(manifest), { headers: { 'Content-Type': 'application/json' } }),
  );
  // Paths carry a content hash, so the files of an older entry are other keys: drop them now.
  for (const f of old?.files ?? [])
    if (!entry.files.some((n) => n.path === f.path)) await cache.delete(KEY_ROOT + f.path);
}
