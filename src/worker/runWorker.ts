// The module worker that trains the page's runs (all of them by default: handler.ts hosts each in a
// session of its own), created by the page's run controller with
// `new Worker(new URL('../worker/runWorker.ts', import.meta.url), { type: 'module' })`.
import { selectBackend, watchDeviceLost } from './backendSelect';
import { loadSplitInWorker } from './datasetSource';
import { attachRunHandler } from './handler';

attachRunHandler(self, {
  initBackend: selectBackend,
  loadData: (spec, onProgress) => loadSplitInWorker(spec, onProgress),
  // Only a cross-origin isolated page (vite.config.ts's headers) can be sent SharedArrayBuffers.
  sharedMemory: self.crossOriginIsolated,
  onDeviceLost: watchDeviceLost,
});
