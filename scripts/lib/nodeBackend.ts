// Backend set-up for Node (CLI, tests, benchmarks). tfjs-backend-wasm is kept single-threaded:
// its threaded build hangs under Vite builds and gives nothing on 2 cores.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendName } from '../../src/core/backend';

const require = createRequire(import.meta.url);
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
setWasmPaths(wasmDir + path.sep);

/** Backends that can train here, fastest first. */
export const NODE_BACKENDS: BackendName[] = ['wasm', 'cpu'];

/** Switches tfjs to `name` and checks it really is in use (a failed init falls back silently). */
export async function useBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name)
    throw new Error(`tfjs backend ${name} could not start (in use: ${tf.getBackend()})`);
}
