// The messages between the page and a backend probe worker: the page asks it to time the
// experiment's own training step on one backend (core/train/stepTiming.ts); one worker per backend,
// so a backend that hangs or crawls can be ended by terminating its worker.
import type { BackendName } from '../core/backend';
import type { ExperimentSpec } from '../core/spec';

export interface ProbeRequest {
  type: 'probe';
  backend: BackendName;
  spec: ExperimentSpec;
}

/** What runs the backend, before it starts; `software` when its GPU is a CPU emulation (SwiftShader, llvmpipe) or a fallback adapter. */
export interface ProbeAdapter {
  type: 'probe-adapter';
  backend: BackendName;
  software: boolean;
  /** The adapter or renderer as the browser names it, for the reason line. */
  adapter?: string;
  /** False when the browser hides what renders: then `software` says nothing. */
  known?: boolean;
}

export interface ProbeResult {
  type: 'probe-result';
  backend: BackendName;
  msPerStep?: number;
  /** How the backend ran, e.g. "2 threads". */
  note?: string;
  /** Why there is no time: e.g. "did not start". */
  error?: string;
}

export type FromProbe = ProbeAdapter | ProbeResult;
