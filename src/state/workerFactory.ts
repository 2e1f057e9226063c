// The browser's workers: module workers that Vite bundles from these static URLs.
import type { ProbeWorkerLike } from './backendChooser';
import type { WorkerLike } from './runController';

export function createRunWorker(): WorkerLike {
  return new Worker(new URL('../worker/runWorker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

export function createProbeWorker(): ProbeWorkerLike {
  return new Worker(new URL('../worker/probeWorker.ts', import.meta.url), { type: 'module' }) as unknown as ProbeWorkerLike;
}
