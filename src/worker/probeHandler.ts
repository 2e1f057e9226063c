// The backend probe worker's handler: starts the one backend it is asked for, says whether its GPU
// is emulated, and times the experiment's training step on it. Platform pieces come in from
// outside, so the handler runs in a browser worker and, in tests, in Node.
import type { BackendName } from '../core/backend';
import { timeTrainingStep } from '../core/train/stepTiming';
import type { AdapterDescription } from './gpuAdapters';
import type { FromProbe, ProbeRequest } from './probeProtocol';

export interface ProbeEndpoint {
  postMessage(message: FromProbe): void;
  addEventListener(type: 'message', listener: (event: { data: ProbeRequest }) => void): void;
}

export interface ProbeDeps {
  startBackend(name: BackendName): Promise<boolean>;
  describeAdapter(name: BackendName): Promise<AdapterDescription>;
  /** How the started backend runs (e.g. wasm's thread count). */
  backendNote?(name: BackendName): string | undefined;
  now(): number;
}

/** Timed steps: at least 3, and on for 600 ms when steps are fast, so one slow step does not decide. */
const TIMING = { minSteps: 3, minMs: 600, maxSteps: 20 };

export function attachProbeHandler(endpoint: ProbeEndpoint, deps: ProbeDeps): void {
  endpoint.addEventListener('message', ({ data }) => {
    if (data?.type !== 'probe') return;
    const { backend, spec } = data;
    void (async () => {
      // Described before starting: an emulated GPU can take seconds just to start.
      const adapter = await deps.describeAdapter(backend);
      endpoint.postMessage({
        type: 'probe-adapter',
        backend,
        software: adapter.software,
        adapter: adapter.name,
        ...(adapter.known === false ? { known: false } : {}),
      });
      // An emulated GPU is not started: its kernels would compile for seconds in the GPU process.
      if (adapter.software)
        return endpoint.postMessage({ type: 'probe-result', backend, error: 'software renderer, not started' });
      if (!(await deps.startBackend(backend)))
        return endpoint.postMessage({ type: 'probe-result', backend, error: 'did not start' });
      const msPerStep = await timeTrainingStep(spec, { ...TIMING, now: deps.now });
      endpoint.postMessage({ type: 'probe-result', backend, msPerStep, note: deps.backendNote?.(backend) });
    })().catch((err: unknown) =>
      endpoint.postMessage({ type: 'probe-result', backend, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
