// Which datasets the page can train on: served from datasets/ (its manifest), kept in this browser
// from dropped files, or generated. Read by the dataset controller for the picker and the lesson.
import { CATALOG } from '../core/data/catalog';
import type { ManifestEntry } from '../core/data/manifest';
import { DATASETS, type DatasetName } from '../core/spec';
import { fetchManifest, localSource, type SourceOptions } from '../worker/datasetSource';

/** where: served from datasets/ ('server') or kept from files dropped onto the page ('browser'). */
export type DatasetState =
  { ready: true; entry?: ManifestEntry; where?: 'server' | 'browser' } | { ready: false; reason: string };

/** Ready or missing per dataset, for the picker; the generated sets are always ready. */
export async function datasetStatus(opts: SourceOptions = {}): Promise<Record<DatasetName, DatasetState>> {
  const [manifest, local] = await Promise.all([fetchManifest(opts), localSource(opts).manifest()]);
  const out = {} as Record<DatasetName, DatasetState>;
  for (const name of DATASETS) {
    const served = typeof manifest === 'string' ? undefined : manifest.datasets[name];
    const kept = local.datasets[name];
    if (CATALOG[name].origin === 'generated') out[name] = { ready: true };
    else if (served) out[name] = { ready: true, entry: served, where: 'server' };
    else if (kept) out[name] = { ready: true, entry: kept, where: 'browser' };
    else if (typeof manifest === 'string') out[name] = { ready: false, reason: manifest };
    else out[name] = { ready: false, reason: `${name} is not prepared: run npm run datasets (see datasets/README.md)` };
  }
  return out;
}
