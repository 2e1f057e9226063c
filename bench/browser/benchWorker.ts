// The benchmark's worker: starts the backend with the run worker's own selectBackend (same wasm
// paths, same fallbacks refused), then runs the platform-neutral suite on the core's Trainer, or
// the race against the peers.
import { selectBackend } from '../../src/worker/backendSelect';
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
    const result = job.kind === 'suite' ? await runSuite(job.plan, log) : await runPeers(job.plan, PEERS, log);
    post({ type: 'result', result: { ...result, backend: `chromium-${backend}` } });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
