// The browser's run worker: a module worker that Vite bundles from this static URL.
import type { WorkerLike } from './runController';

export function createRunWorker(): WorkerLike {
  return new Worker(new URL('../worker/runWorker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}
