// "auto" chooses a backend by measuring: it times the experiment's own model and batch on each
// backend that starts (one probe worker each, wasm first, then the GPU backends side by side) and
// takes the fastest (core/backend.ts). A GPU that the browser emulates on the CPU (SwiftShader) is
// named and not timed: its kernels compile for seconds in the browser's GPU process, which goes on
// loading the CPU after its probe has ended (the bench measured the default preset at 262 s after
// such probes against 129 s without), and it runs at seconds per step (bench/results). The decision
// is remembered per browser, adapter and model shape, so the next Train starts at once.
import {
  decideBackend,
  isBackendName,
  type BackendDecision,
  type BackendMeasurement,
  type BackendName,
} from '../core/backend';
import type { ExperimentSpec } from '../core/spec';
import type { FromProbe, ProbeRequest } from '../worker/probeProtocol';
import type { WorkerClient } from './workerClient';

/** A backend probe worker as the chooser sees it (a fake in tests). */
export type ProbeWorkerLike = WorkerClient<ProbeRequest, FromProbe>;

/** Where decisions are remembered (localStorage in the page). */
export interface DecisionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface ChooserDeps {
  createProbeWorker(): ProbeWorkerLike;
  storage?: DecisionStore;
  /** What identifies this browser and its GPU (user agent, adapter, cores, isolation). */
  environmentKey(): Promise<string>;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** How long a backend may take to start and finish its timed steps, once its worker has loaded. */
export const PROBE_DEADLINE_MS = { cpu: 15_000, gpu: 15_000 } as const;
/**
 * How long a probe worker may take to load (to send its first message). Apart from the step's
 * deadline: a fresh dev server transforms the worker's modules on their first request, and on a
 * busy 2-core machine that alone passed 15 s, so that no backend was timed and the runs fell back
 * on the first backend that starts (an emulated GPU).
 */
export const PROBE_LOAD_MS = 60_000;
export const SOFTWARE_NOTE = 'software renderer (a CPU emulation), not timed';
const STORAGE_KEY = 'duality-lab.backend-choices.v1';
const REMEMBERED = 32;

/** What the step time depends on: the model, the example shape and the batch size. */
export function modelKey(spec: ExperimentSpec): string {
  const { name, width, depth } = spec.model;
  const input =
    spec.dataset.name === 'toy'
      ? `toy${spec.dataset.toy.robustDims + spec.dataset.toy.nonRobustDims}`
      : spec.dataset.name;
  return `${name}/${width}/${depth}/${input}/${spec.train.batchSize}`;
}

type Remembered = Record<string, { backend: BackendName; reason: string; at: number }>;

function readRemembered(storage: DecisionStore | undefined): Remembered {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    const out: Remembered = {};
    for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
      const e = v as { backend?: unknown; reason?: unknown; at?: unknown };
      if (
        typeof e === 'object' &&
        e !== null &&
        isBackendName(e.backend) &&
        typeof e.reason === 'string' &&
        typeof e.at === 'number'
      )
        out[key] = { backend: e.backend, reason: e.reason.slice(0, 300), at: e.at };
    }
    return out;
  } catch {
    return {}; // a corrupt entry is measured again
  }
}

function remember(storage: DecisionStore | undefined, key: string, decision: BackendDecision) {
  const all = readRemembered(storage);
  all[key] = { backend: decision.backend, reason: decision.reason, at: Date.now() };
  const newest = Object.entries(all)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, REMEMBERED);
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(newest)));
  } catch {
    // Storage full or refused: the next Train measures again.
  }
}

/** Times one backend in its own worker, ending it at its deadline. */
function probe(
  deps: ChooserDeps,
  backend: BackendName,
  spec: ExperimentSpec,
  hiddenIsSoftware = false,
): Promise<BackendMeasurement> {
  return new Promise((resolve) => {
    const worker = deps.createProbeWorker();
    const gpu = backend === 'webgpu' || backend === 'webgl';
    const ms = gpu ? PROBE_DEADLINE_MS.gpu : PROBE_DEADLINE_MS.cpu;
    let timer = deps.setTimer(
      () => settle({ backend, note: `its worker did not load within ${PROBE_LOAD_MS.toLocaleString('en-US')} ms` }),
      PROBE_LOAD_MS,
    );
    const settle = (m: BackendMeasurement) => {
      deps.clearTimer(timer);
      worker.terminate();
      resolve(m);
    };
    worker.addEventListener('message', ({ data }) => {
      if (data.type === 'probe-adapter') {
        if (data.software || (data.known === false && hiddenIsSoftware))
          return settle({ backend, note: SOFTWARE_NOTE });
        // Loaded: from now on the backend must start and step within its deadline.
        deps.clearTimer(timer);
        timer = deps.setTimer(() => settle({ backend, note: `no step within ${ms.toLocaleString('en-US')} ms` }), ms);
      } else if (data.type === 'probe-result')
        settle(
          data.msPerStep !== undefined
            ? { backend, msPerStep: data.msPerStep, note: data.note }
            : { backend, note: data.error ?? 'failed' },
        );
    });
    worker.addEventListener('error', (e) =>
      settle({ backend, note: `its worker failed (${e.message ?? 'no message'})` }),
    );
    worker.postMessage({ type: 'probe', backend, spec });
  });
}

export function createBackendChooser(deps: ChooserDeps): (spec: ExperimentSpec) => Promise<BackendDecision> {
  return async (spec) => {
    const key = `${await deps.environmentKey()}|${modelKey(spec)}`;
    const known = readRemembered(deps.storage)[key];
    if (known) return { backend: known.backend, reason: known.reason, measurements: [], measuredAt: known.at };
    // wasm alone first, then WebGPU, then WebGL; cpu only when nothing else ran. A browser that hides
    // its WebGL renderer while its WebGPU adapter is an emulation has no GPU to give WebGL either.
    const measured = [await probe(deps, 'wasm', spec)];
    measured.push(await probe(deps, 'webgpu', spec));
    measured.push(await probe(deps, 'webgl', spec, measured[1].note === SOFTWARE_NOTE));
    let decision = decideBackend(measured);
    if (!decision) {
      measured.push(await probe(deps, 'cpu', spec));
      decision = decideBackend(measured);
    }
    if (!decision)
      throw new Error(
        `no backend finished a training step (${measured.map((m) => `${m.backend}: ${m.note ?? '?'}`).join('; ')})`,
      );
    remember(deps.storage, key, decision);
    return decision;
  };
}
