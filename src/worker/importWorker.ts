// The dataset import worker: reads the dropped files, parses them (never on the page's thread),
// stores the dataset in the browser's Cache Storage and reports each step. Created per import by
// the page with `new Worker(new URL('../worker/importWorker.ts', import.meta.url), { type: 'module' })`.
import { prepareImport, type DroppedFile } from './datasetImport';
import type { ImportReply, ImportRequest } from './importProtocol';
import { storeLocalDataset } from './localDatasets';

const post = (reply: ImportReply) => self.postMessage(reply);

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function importFiles(files: File[]): Promise<ImportReply> {
  const total = files.reduce((s, f) => s + f.size, 0);
  let loaded = 0;
  const dropped: DroppedFile[] = [];
  for (const f of files) {
    post({ type: 'step', step: `reading ${f.name}`, loaded, total });
    dropped.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
    loaded += f.size;
  }
  const step = (s: string) => post({ type: 'step', step: s, loaded, total });
  const { entry, files: stored } = await prepareImport(dropped, { gzip, onStep: step });
  step('storing in the browser');
  await storeLocalDataset(entry, stored);
  return { type: 'done', dataset: entry.name, train: entry.train, test: entry.test };
}

self.onmessage = (e: MessageEvent<ImportRequest>) => {
  void importFiles(e.data.files)
    .catch((err: unknown): ImportReply => ({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    }))
    .then(post);
};
