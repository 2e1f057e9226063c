// The run worker's message handler: one start message trains one run; pause, resume and stop act
// between optimiser steps. The endpoint and the platform pieces (backend start-up, data loading,
// GPU device loss) come in from outside, so the same handler runs in a browser worker and, in
// tests, in Node over a MessageChannel.
import type { BackendName } from '../core/backend';
import type { DatasetSplit } from '../core/data/dataset';
import { formatIssues, validateSpec, type BackendChoice, type ExperimentSpec, type RunSpec } from '../core/spec';
import type { RunResult } from '../core/train/results';
import { createTrainer, runTrainer, type Trainer } from '../core/train/trainer';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker, type WorkerErrorKind } from './protocol';

/** What the handler needs of a message port: a worker's global scope and a MessagePort both fit. */
export interface Endpoint {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface HandlerDeps {
  /** Starts the backend the spec asks for ('auto': the best one) and returns the one really in use. */
  initBackend(choice: BackendChoice): Promise<BackendName>;
  loadData(spec: ExperimentSpec): Promise<DatasetSplit>;
  /** Registers a callback for the loss of the GPU device behind the backend (WebGPU only). */
  onDeviceLost?(callback: (reason: string) => void): void;
  now?(): number;
}

// Images per second is an exponential moving average over steps, so one slow step does not make it jump.
const SPEED_SMOOTHING = 0.2;

export function attachRunHandler(endpoint: Endpoint, deps: HandlerDeps): void {
  const now = deps.now ?? (() => performance.now());
  let runId: string | undefined;
  let started = false;
  let failed = false;
  let stopRequested = false;
  let paused = false;
  let wakeUp: (() => void) | undefined;

  const post = (message: FromWorker) => {
    if (!failed) endpoint.postMessage(message);
  };
  const fail = (id: string, kind: WorkerErrorKind, message: string) => {
    post({ type: 'error', runId: id, kind, message });
    failed = true;
    stopRequested = true;
    wakeUp?.();
  };

  endpoint.addEventListener('message', (event) => {
    const msg = event.data as ToWorker;
    if (typeof msg !== 'object' || msg === null || typeof msg.runId !== 'string') {
      fail(runId ?? '', 'protocol', `not a run message: ${JSON.stringify(msg)}`);
      return;
    }
    if (msg.type === 'start') {
      if (started) return fail(msg.runId, 'protocol', `this worker already trains run "${runId}"`);
      started = true;
      runId = msg.runId;
      if (msg.protocolVersion !== PROTOCOL_VERSION) {
        return fail(msg.runId, 'protocol', `protocol version ${msg.protocolVersion}, this worker speaks ${PROTOCOL_VERSION}: reload the page`);
      }
      void train(msg.spec, msg.runId).catch((err: unknown) => fail(msg.runId, 'exception', errorText(err)));
      return;
    }
    if (msg.runId !== runId) return; // a message for another run: not ours
    if (msg.type === 'pause') paused = true;
    else if (msg.type === 'resume') {
      paused = false;
      wakeUp?.();
    } else if (msg.type === 'stop') {
      stopRequested = true;
      wakeUp?.();
    } else fail(runId ?? '', 'protocol', `unknown message type ${JSON.stringify((msg as { type: unknown }).type)}`);
  });

  async function train(rawSpec: ExperimentSpec, id: string): Promise<void> {
    const checked = validateSpec(rawSpec);
    if (!checked.ok) return fail(id, 'protocol', `invalid spec:\n${formatIssues(checked.issues)}`);
    const spec = checked.spec;
    const run = spec.runs.find((r) => r.id === id);
    if (!run) return fail(id, 'protocol', `the spec has no run "${id}"`);

    const backend = await deps.initBackend(spec.train.backend);
    deps.onDeviceLost?.((reason) => fail(id, 'device-lost', `the GPU device was lost (${reason}); restart the run`));
    post({ type: 'status', runId: id, status: 'queued', backend });
    const data = await deps.loadData(spec);
    if (stopRequested) return finish(id, stoppedBeforeStart(run));

    let trainer: Trainer | undefined;
    try {
      trainer = createTrainer(spec, id, data);
      post({ type: 'status', runId: id, status: 'training', backend });
      const t = trainer;
      let mark = now();
      let imagesPerSec = 0;
      const result = await runTrainer(t, {
        onStep(record) {
          const dt = Math.max(now() - mark, 1e-3) / 1000;
          const instant = spec.train.batchSize / dt;
          imagesPerSec = imagesPerSec === 0 ? instant : imagesPerSec + SPEED_SMOOTHING * (instant - imagesPerSec);
          mark = now();
          post({ type: 'progress', runId: id, step: record.step, totalSteps: t.totalSteps, epoch: record.epoch, loss: record.loss, acc: record.acc, imagesPerSec });
        },
        onEval(point) {
          mark = now();
          post({ type: 'metrics', runId: id, point });
        },
        async checkpoint() {
          await yieldToEvents();
          if (paused && !stopRequested) {
            post({ type: 'status', runId: id, status: 'paused', backend });
            while (paused && !stopRequested) await new Promise<void>((resolve) => (wakeUp = resolve));
            wakeUp = undefined;
            if (!stopRequested) post({ type: 'status', runId: id, status: 'training', backend });
            mark = now();
          }
          return stopRequested ? 'stop' : 'go';
        },
      });
      finish(id, result);
    } finally {
      trainer?.dispose();
    }
  }

  function finish(id: string, result: RunResult) {
    // runTrainer turns an exception in a step into an 'error' result; the page shows its message.
    if (result.status === 'error') post({ type: 'error', runId: id, kind: 'exception', message: result.error ?? 'training failed' });
    else post({ type: 'status', runId: id, status: result.status });
    post({ type: 'done', runId: id, result });
  }
}

/**
 * Lets queued messages (pause, stop) in between steps. A step's awaits may all be microtasks (the
 * cpu and wasm backends read back at once), which would starve the message queue for the whole run;
 * a MessageChannel round trip is a macrotask without setTimeout's 4 ms clamp.
 */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

function stoppedBeforeStart(run: RunSpec): RunResult {
  return { id: run.id, method: run.method, status: 'stopped', history: [], msPerStep: 0 };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
