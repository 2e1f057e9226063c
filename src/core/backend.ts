// Backend names, and how "auto" decides between them. Starting a backend is the job of the edge that
// runs the core (the worker in the page, scripts/ in Node), since wasm paths and GPU access differ
// there; the decision itself is pure: the fastest measured step wins.
/** Every tfjs backend the lab runs on, in the order "auto" tries them when it cannot measure (GPU first). */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export const isBackendName = (x: unknown): x is BackendName => (BACKEND_NAMES as readonly unknown[]).includes(x);

/** One backend timed on the experiment's own model and batch. */
export interface BackendMeasurement {
  backend: BackendName;
  /** Median milliseconds per training step; absent when it did not start or did not finish in time. */
  msPerStep?: number;
  /** Why it was slow or absent: 'software renderer', 'did not start', 'no step within 2,000 ms'. */
  note?: string;
}

export interface BackendDecision {
  backend: BackendName;
  /** For the run cards, e.g. "wasm: 60 ms/step (webgpu 3,900 ms/step: software renderer)". */
  reason: string;
  measurements: BackendMeasurement[];
  /** When the decision was measured, if it was remembered from an earlier Train (ms since 1970). */
  measuredAt?: number;
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms/step`;
const timed = (m: BackendMeasurement): m is BackendMeasurement & { msPerStep: number } =>
  m.msPerStep !== undefined && Number.isFinite(m.msPerStep) && m.msPerStep > 0;

function describe(m: BackendMeasurement): string {
  const head = timed(m) ? `${m.backend} ${ms(m.msPerStep)}` : m.backend;
  return m.note ? `${head}: ${m.note}` : head;
}

/** The fastest measured backend, and a one-line reason naming the others; undefined when none finished a step. */
export function decideBackend(measurements: BackendMeasurement[]): BackendDecision | undefined {
  const candidates = measurements.filter(timed);
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  const others = measurements.filter((m) => m !== best).map(describe);
  const reason = `${best.backend}${best.note ? ` (${best.note})` : ''}: ${ms(best.msPerStep)}${others.length ? ` (${others.join('; ')})` : ''}`;
  return { backend: best.backend, reason, measurements };
}
