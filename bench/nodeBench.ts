// The Node backends (wasm, cpu), one after another in this process.
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../src/core/backend';
import { NODE_BACKENDS, useBackend } from '../scripts/lib/nodeBackend';

/** `run` on each Node backend in turn; each result's backend is named `node-<backend>`. */
export async function onNodeBackends<T extends { backend: string }>(
  run: (b: BackendName) => Promise<T>,
  log: (line: string) => void,
): Promise<T[]> {
  const out: T[] = [];
  for (const b of NODE_BACKENDS) {
    await useBackend(b);
    log(`node ${b}:`);
    const r = await run(b);
    out.push({ ...r, backend: `node-${b}` });
    tf.disposeVariables();
  }
  return out;
}
