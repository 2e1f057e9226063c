// The module worker that times one backend for "auto" (created by the page's backend chooser).
import { backendNote, startBackend } from './backendSelect';
import { describeAdapter } from './gpuAdapters';
import { attachProbeHandler } from './probeHandler';

attachProbeHandler(self, { startBackend, describeAdapter, backendNote, now: () => performance.now() });
