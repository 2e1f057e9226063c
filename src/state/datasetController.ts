// The picker's side effects: reads which datasets are ready (datasets/manifest.json and browser
// storage), and imports dropped files in a dedicated worker, one import at a time. A failed import
// stores nothing, so what was ready stays ready.
import { CATALOG } from '../core/data/catalog';
import { datasetStatus } from '../worker/datasetSource';
import type { ImportReply, ImportRequest } from '../worker/importProtocol';
import type { LabStore } from './labStore';

/** The part of a Worker the controller uses (a fake in tests). */
export interface ImportWorkerLike {
  postMessage(message: ImportRequest): void;
  onmessage: ((event: { data: ImportReply }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  terminate(): void;
}

export interface DatasetController {
  refresh(): Promise<void>;
  /** Parses and keeps dropped files; false when an import is already running. */
  importFiles(files: File[]): boolean;
}

function createImportWorker(): ImportWorkerLike {
  return new Worker(new URL('../worker/importWorker.ts', import.meta.url), { type: 'module' }) as unknown as ImportWorkerLike;
}

export function createDatasetController(store: LabStore, deps: { createWorker?: () => ImportWorkerLike; status?: typeof datasetStatus } = {}): DatasetController {
  const status = deps.status ?? datasetStatus;
  const create = deps.createWorker ?? createImportWorker;
  let busy = false;
  const controller: DatasetController = {
    async refresh() {
      store.getState().setDatasetStates(await status());
    },
    importFiles(files) {
      if (busy || files.length === 0) return false;
      busy = true;
      const s = store.getState();
      s.setDatasetImport({ phase: 'working', step: 'starting', loaded: 0, total: files.reduce((n, f) => n + f.size, 0) });
      const worker = create();
      const end = () => {
        worker.terminate();
        busy = false;
      };
      worker.onmessage = ({ data }) => {
        if (data.type === 'step') s.setDatasetImport({ phase: 'working', step: data.step, loaded: data.loaded, total: data.total });
        else if (data.type === 'error') {
          s.setDatasetImport({ phase: 'error', message: data.message });
          end();
        } else {
          const counts = `${data.train.toLocaleString('en')} training / ${data.test.toLocaleString('en')} test images`;
          s.setDatasetImport({ phase: 'done', message: `${CATALOG[data.dataset].title} is ready (${counts}), kept in this browser` });
          end();
          void controller.refresh();
        }
      };
      worker.onerror = (e) => {
        s.setDatasetImport({ phase: 'error', message: `the import worker failed: ${e.message ?? 'no message'}` });
        end();
      };
      worker.postMessage({ files });
      return true;
    },
  };
  return controller;
}
