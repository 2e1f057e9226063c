// The benchmark's worker: starts the backend with the run worker's own selectBackend (same wasm
// paths, same fallbacks refused), then runs the platform-neutral suite on the core's Trainer (or the
// GPU bench's share of it, bench/gpu/gpuSuite.ts).
import { selectBackend } from '../../src/worker/backendSelect';
import { runGpuSuite } from '../gpu/gpuSuite';
import { runSuite } from '../lib/suite';
import type { BenchReply, BenchRequest } from './protocol';

const post = (r: BenchReply) => self.postMessage(r);

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  try {
    const backend = await selectBackend(e.data.backend);
    const log = (line: string) => post({ type: 'log', line });
    if ('gpu' in e.data) return post({ type: 'result', result: await runGpuSuite(e.data.gpu, log) });
    const result = await runSuite(e.data.plan, log);
    post({ type: 'result', result: { ...result, backend: `chromium-${backend}` } });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
