// The picker's and the lesson's side effects: reads which datasets are ready (datasets/manifest.json
// and browser storage), and imports dropped files in a dedicated worker, one import at a time. A
// failed import stores nothing, so what was ready stays ready.
import { CATALOG } from '../core/data/catalog';
import type { ImportReply, ImportRequest } from '../worker/importProtocol';
import { datasetStatus } from './datasetStatus';
import type { LabStore } from './labStore';
import type { WorkerClient } from './workerClient';

export interface DatasetController {
  refresh(): Promise<void>;
  /** Parses and keeps dropped files; false when an import is already running. */
  importFiles(files: File[]): boolean;
}

export function createDatasetController(
  store: LabStore,
  deps: { createWorker: () => WorkerClient<ImportRequest, ImportReply>; status?: typeof datasetStatus },
): DatasetController {
  const status = deps.status ?? datasetStatus;
  let busy = false;
  const controller: DatasetController = {
    async refresh() {
      store.getState().setDatasetStates(await status());
    },
    importFiles(files) {
      if (busy || files.length === 0) return false;
      busy = true;
      const s = store.getState();
      s.setDatasetImport({
        phase: 'working',
        step: 'starting',
        loaded: 0,
        total: files.reduce((n, f) => n + f.size, 0),
      });
      const worker = deps.createWorker();
      const end = () => {
        worker.terminate();
        busy = false;
      };
      worker.addEventListener('message', ({ data }) => {
        switch (data.type) {
          case 'step':
            return s.setDatasetImport({ phase: 'working', step: data.step, loaded: data.loaded, total: data.total });
          case 'error':
            s.setDatasetImport({ phase: 'error', message: data.message });
            return end();
          case 'done': {
            const counts = `${data.train.toLocaleString('en')} training / ${data.test.toLocaleString('en')} test images`;
            s.setDatasetImport({
              phase: 'done',
              message: `${CATALOG[data.dataset].title} is ready (${counts}), kept in this browser`,
            });
            end();
            return void controller.refresh();
          }
          default: {
            const unknown: never = data;
            throw new Error(`unknown import reply ${JSON.stringify(unknown)}`);
          }
        }
      });
      worker.addEventListener('error', (e) => {
        s.setDatasetImport({ phase: 'error', message: `the import worker failed: ${e.message ?? 'no message'}` });
        end();
      });
      worker.postMessage({ files });
      return true;
    },
  };
  return controller;
}
