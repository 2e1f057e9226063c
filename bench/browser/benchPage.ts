// The benchmark page: starts one bench worker per call, forwards its log lines to the console
// (where the Node driver prints them) and resolves with its result.
import type { GpuSuiteResult } from '../gpu/gpuSuite';
import type { SuiteResult } from '../lib/suite';
import type { BenchRequest, BenchReply } from './protocol';

function run(request: BenchRequest): Promise<SuiteResult | GpuSuiteResult> {
  const worker = new Worker(new URL('./benchWorker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<BenchReply>) => {
      const r = e.data;
      if (r.type === 'log') console.log(r.line);
      else {
        worker.terminate();
        if (r.type === 'result') resolve(r.result);
        else reject(new Error(r.message));
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`bench worker failed: ${e.message}`));
    };
    worker.postMessage(request);
  });
}

(window as unknown as { __bench: { run: typeof run } }).__bench = { run };
