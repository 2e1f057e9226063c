// The module worker that trains one run (one worker per run, created by the page's run controller
// with `new Worker(new URL('../worker/runWorker.ts', import.meta.url), { type: 'module' })`).
import { selectBackend, watchDeviceLost } from './backendSelect';
import { loadSplitInWorker } from './datasetSource';
import { attachRunHandler, type Endpoint } from './handler';

attachRunHandler(self as unknown as Endpoint, {
  initBackend: selectBackend,
  loadData: (spec, onProgress) => loadSplitInWorker(spec, onProgress),
  onDeviceLost: watchDeviceLost,
});
