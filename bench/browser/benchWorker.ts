// The benchmark's worker: starts the backend with the run worker's own selectBackend (same wasm
// paths, same fallbacks refused), then runs the platform-neutral suite on the core's Trainer, the
// race against the peers, or the GPU bench's share of the suite (bench/gpu/gpuSuite.ts).
import { selectBackend } from '../../src/worker/backendSelect';
import { runGpuSuite } from '../gpu/gpuSuite';
import { runSuite } from '../lib/suite';
import { PEERS } from '../peers/allPeers';
import { runPeers } from '../peers/peerSuite';
import type { BenchReply, BenchRequest } from './protocol';

const post = (r: BenchReply) => self.postMessage(r);

self.onmessage = async (e: MessageEvent<BenchRequest>) => {
  try {
    const backend = await selectBackend(e.data.backend);
    const log = (line: string) => post({ type: 'log', line });
    const { job } = e.data;
    const result =
      job.kind === 'suite'
        ? await runSuite(job.plan, log)
        : job.kind === 'peers'
          ? await runPeers(job.plan, PEERS, log)
          : await runGpuSuite(job.plan, log);
    post({ type: 'result', result: { ...result, backend: `chromium-${backend}` } });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
