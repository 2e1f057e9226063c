// The Node backends (wasm, cpu), one after another in this process.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../src/core/backend';
import { NODE_BACKENDS, useBackend } from '../scripts/lib/nodeBackend';
import type { SuitePlan, SuiteResult } from './lib/suite';
import { runSuite } from './lib/suite';

export async function runNodeBench(
  plan: (b: BackendName) => SuitePlan,
  log: (line: string) => void,
): Promise<SuiteResult[]> {
  const out: SuiteResult[] = [];
  for (const b of NODE_BACKENDS) {
    await useBackend(b);
    log(`node ${b}:`);
    const r = await runSuite(plan(b), log);
    out.push({ ...r, backend: `node-${b}` });
    tf.disposeVariables();
  }
  return out;
}
