// Picks and starts the tfjs backend inside a run worker: WebGPU, then WebGL, then WASM, then CPU,
// unless the spec forces one. tf.setBackend can resolve while quietly falling back to another
// backend, so the backend really in use is read back with tf.getBackend().
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, type BackendName } from '../core/backend';
import type { BackendChoice } from '../core/spec';

// The wasm binaries are copied to /wasm/ of this origin at build time (vite.config.ts). tfjs picks
// the threaded build when the page is cross-origin isolated, as the dev and preview servers serve
// it. Its thread pool is capped at half the logical cores (tfjs-backend-wasm's backend.cc: it
// counts hyper-threads as half a core), so a 2-core machine gets 1 thread a worker. The page's runs
// share one worker (runController.ts); ?workers=N spreads them over more, and more cores, for more
// memory. Asking tfjs for 2 threads there made no difference beyond the noise (bench, 2026-12-02).
const WASM_DIR = `${import.meta.env.BASE_URL}wasm/`;
setWasmPaths(new URL(WASM_DIR, self.location.origin).href);
// The threaded build starts 8 pthread workers per run worker whatever the thread count (its
// emscripten PTHREAD_POOL_SIZE), 20-25 MiB of the page's memory (bench, 2026-12-02). Where tfjs
// would run 1 thread (under 4 logical cores), the plain SIMD build, the one Node runs, does the
// same work without the pool.
if ((navigator.hardwareConcurrency ?? 1) < 4) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

/** Starts one backend; false when it cannot start here (or tfjs quietly fell back to another). */
export async function startBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'webgpu' && !('gpu' in navigator)) return false;
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** How the started backend runs, for the reason line: the wasm backend's thread count. */
export function backendNote(name: BackendName): string | undefined {
  if (name !== 'wasm') return undefined;
  const threads = getThreadsCount();
  return threads > 1 ? `${threads} threads` : '1 thread';
}

// The runs a worker hosts start their backend one after another: tfjs refuses a backend asked for
// while another one's start-up is pending (a second run's wasm came back as "could not start").
let starting: Promise<unknown> = Promise.resolve();

/** Starts `choice` ('auto': the first of BACKEND_NAMES that starts) and returns the backend in use. */
export function selectBackend(choice: BackendChoice): Promise<BackendName> {
  const next = starting.then(() => select(choice));
  starting = next.catch(() => {});
  return next;
}

async function select(choice: BackendChoice): Promise<BackendName> {
  // Already running (another run of the experiment in this worker started it): nothing to start
  // again, and 'auto' keeps it rather than switch the backend under that run's tensors.
  const running = BACKEND_NAMES.find((name) => name === tf.getBackend());
  if (running && (choice === 'auto' || choice === running)) return running;
  if (choice !== 'auto') {
    if (await startBackend(choice)) return choice;
    throw new Error(`the ${choice} backend could not start in this browser (choose "auto" to fall back)`);
  }
  for (const name of BACKEND_NAMES) if (await startBackend(name)) return name;
  throw new Error('no tfjs backend could start');
}

interface LosableDevice {
  lost: Promise<{ reason?: string; message?: string }>;
}

/** Calls back once if the WebGPU device behind the current backend is lost; no-op on other backends. */
export function watchDeviceLost(callback: (reason: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: LosableDevice }).device;
  // 'destroyed' is a deliberate destroy() (backend disposal), not a loss.
  void device?.lost.then((info) => {
    if (info.reason !== 'destroyed') callback(info.message || info.reason || 'unknown reason');
  });
}
