// The benchmark's worker: starts the backend with the run worker's own selectBackend (same wasm
// paths, same fallbacks refused), then runs the platform-neutral suite on the core's Trainer.
import { selectBackend } from '../../src/worker/backendSelect';
import { runSuite } from '../lib/suite';
import type { BenchReply, BenchRequest } from './protocol';

const post = (r: BenchReply) => self.postMessage(r);

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  try {
    const backend = await selectBackend(e.data.backend);
    const result = await runSuite(e.data.plan, (line) => post({ type: 'log', line }));
    post({ type: 'result', result: { ...result, backend: `chromium-${backend}` } });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
