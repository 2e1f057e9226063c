// One run inside a run worker (handler.ts routes each run's messages to its session): its start
// message trains the run; pause, resume and stop act between optimiser steps; 'dispose' ends it
// whatever it is doing and frees its model. Several sessions share a worker, its backend and its
// wasm heap: they take turns between steps, as the page grants them.
import type { BackendName } from '../core/backend';
import type { DatasetSplit } from '../core/data/dataset';
import { formatIssues, validateSpec, type BackendChoice, type ExperimentSpec, type RunSpec } from '../core/spec';
import type { RunResult } from '../core/train/results';
import { createTrainer, runTrainer, type Trainer } from '../core/train/trainer';
import { transition, type RunEvent, type RunPhase } from '../core/run/lifecycle';
import type { LoadProgress } from './datasetSource';
import { LANDSCAPE_KINDS } from '../core/landscape/request';
import { createLandscapeJobs, type LandscapeJobs } from './landscapeJobs';
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type SharedStart,
  type StartMessage,
  type ToWorker,
  type WorkerErrorKind,
} from './protocol';
import { createWeightsRequests } from './weightsExport';
import { openWeightsReply } from './weightsOpen';

export interface HandlerDeps {
  /** Starts the backend the spec asks for ('auto': the best one) and returns the one really in use. */
  initBackend(choice: BackendChoice): Promise<BackendName>;
  /** onProgress: bytes fetched so far (file datasets); posted to the page as 'data-progress'. */
  loadData(spec: ExperimentSpec, onProgress?: (p: LoadProgress) => void): Promise<DatasetSplit>;
  /** This worker may post SharedArrayBuffers (the page is cross-origin isolated): the data is then shared, not copied. */
  sharedMemory?: boolean;
  /** Registers a callback for the loss of the GPU device behind the backend (WebGPU only). */
  onDeviceLost?(callback: (reason: string) => void): void;
  now?(): number;
}

// Images per second is an exponential moving average over steps, so one slow step does not make it jump.
const SPEED_SMOOTHING = 0.2;
/** An evaluation says it is alive at most this often (the page's liveness check, runController.ts). */
const ALIVE_EVERY_MS = 5_000;

/** Where a session's messages go: the worker's endpoint, shared by every session in it. */
export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

export interface RunSession {
  /** A message for this session's run; the first is its start message. */
  receive(msg: ToWorker): void;
}

export function createRunSession(endpointPost: Post, deps: HandlerDeps): RunSession {
  const now = deps.now ?? (() => performance.now());
  let runId: string | undefined;
  // The run's phase (core/run/lifecycle.ts): 'queued' until the start message.
  let phase: RunPhase = 'queued';
  /** The page has let go of the run ('dispose'): it hears nothing more of it. */
  let disposed = false;
  /** Moves the phase; false (and no move) when the event is refused in this phase. */
  const move = (event: RunEvent) => {
    const next = transition(phase, event);
    if (next !== undefined) phase = next;
    return next !== undefined;
  };
  const stopAsked = () => phase === 'stopping' || phase === 'failed';
  // Read through a function: the phase changes in message handlers while the training loop awaits.
  const is = (p: RunPhase) => phase === p;
  /** Nothing steps now (paused, or training is over): a landscape or weights request is answered at once. */
  const idle = () => phase === 'paused' || phase === 'ended' || phase === 'released';
  let wakeUp: (() => void) | undefined;
  // Turns: the page lets each run take a number of steps at a time (runController.ts), so runs that
  // cannot all run at once move side by side. The first turn may bring the shared step-0 point.
  let turnSteps = 0;
  let sharedStart: SharedStart | undefined;
  // Landscapes: the model is kept after the run ends (phase 'ended', until 'dispose'); requests run
  // between steps, while paused, or at once after the end.
  let trainer: Trainer | undefined;
  let data: DatasetSplit | undefined;
  let jobs: LandscapeJobs | undefined;
  /** The 'open' start mode's loading of the data and the model: weights opened meanwhile wait for it. */
  let loading: Promise<void> | undefined;

  const post = (message: FromWorker, transfer: Transferable[] = []) => {
    if (phase !== 'failed' && !disposed) endpointPost(message, transfer);
  };
  const fail = (id: string, kind: WorkerErrorKind, message: string) => {
    post({ type: 'error', runId: id, kind, message });
    move('fail');
    wakeUp?.();
  };
  // Weights export: answered at a checkpoint, while paused, or after the end (weightsExport.ts); the file's bytes are transferred.
  const weights = createWeightsRequests(
    (reply) => post(reply, reply.bytes ? [reply.bytes] : []),
    () => trainer && { model: trainer.model, spec: trainer.spec, step: trainer.stepsDone },
  );

  function receive(msg: ToWorker) {
    if (msg.type === 'start') {
      const opening = msg.mode === 'open';
      if (!move(opening ? 'open' : 'start'))
        return fail(msg.runId, 'protocol', `this worker already trains run "${runId}"`);
      runId = msg.runId;
      jobs = landscapeJobs(msg.runId);
      if (msg.protocolVersion !== PROTOCOL_VERSION) {
        return fail(
          msg.runId,
          'protocol',
          `protocol version ${msg.protocolVersion}, this worker speaks ${PROTOCOL_VERSION}: reload the page`,
        );
      }
      if (opening) loading = load(msg).catch((err: unknown) => fail(msg.runId, 'exception', errorText(err)));
      else void train(msg).catch((err: unknown) => fail(msg.runId, 'exception', errorText(err)));
      return;
    }
    switch (msg.type) {
      case 'turn':
        if (phase === 'paused') return; // granted before the page heard of the pause
        turnSteps = msg.steps;
        sharedStart ??= msg.initialPoint;
        wakeUp?.();
        return;
      case 'pause':
        move('pause');
        wakeUp?.();
        return;
      case 'resume':
        move('resume');
        wakeUp?.();
        return;
      case 'stop':
        move('stop');
        jobs?.cancelAll('the run was stopped');
        wakeUp?.();
        return;
      case 'landscape':
        jobs?.enqueue(msg.requestId, msg.kinds, 'manual');
        // While training, the next checkpoint drains the queue; paused or ended, nothing steps now.
        if (idle()) void jobs?.drain();
        return;
      case 'landscape-cancel':
        jobs?.cancel(msg.requestId);
        return;
      case 'weights':
        weights.enqueue(msg);
        if (idle() || !trainer) void (jobs?.drain() ?? Promise.resolve()).then(() => weights.drain());
        return;
      case 'open-weights':
        // After the model is built ('open' mode) and any landscape in progress, which must not see its weights change under it.
        void (loading ?? Promise.resolve())
          .then(() => jobs?.drain())
          .then(async () =>
            post(await openWeightsReply(msg, trainer, data, phase === 'ended' || phase === 'released')),
          );
        return;
      case 'dispose':
        // Whatever the run is doing: a training loop stops at its next checkpoint and frees the
        // model as it ends (train's finally); an ended run frees it once a landscape in progress ends.
        disposed = true;
        move('stop');
        jobs?.cancelAll('the run was disposed');
        wakeUp?.();
        void (jobs?.drain() ?? Promise.resolve()).then(() => {
          if (phase === 'ended' || phase === 'released') release();
        });
        return;
      default: {
        const unknown: never = msg;
        fail(runId ?? '', 'protocol', `unknown message type ${JSON.stringify((unknown as { type: unknown }).type)}`);
      }
    }
  }

  const sleep = () => new Promise<void>((resolve) => (wakeUp = resolve));

  /**
   * Between steps: parks when asked to pause (a paused run holds no turn: the page counts 'paused'
   * as a free place) and waits for a turn when the last one is used up. 'stop' when the run was stopped.
   */
  async function mayStep(id: string, progress: () => number, backend: BackendName): Promise<'go' | 'stop'> {
    let asked = false;
    for (;;) {
      if (stopAsked()) return 'stop';
      if (is('pausing')) {
        turnSteps = 0;
        asked = false;
        post({ type: 'status', runId: id, status: 'paused', backend });
        move('park');
        void jobs?.drain(); // requests that came in while stepping
        while (is('paused')) await sleep();
        wakeUp = undefined;
        // A landscape begun while paused ends before the next step.
        await jobs?.drain();
        if (!stopAsked()) post({ type: 'status', runId: id, status: 'training', backend });
        continue;
      }
      if (turnSteps > 0) {
        turnSteps--;
        return 'go';
      }
      if (!asked) post({ type: 'want-turn', runId: id, progress: progress() });
      asked = true;
      await sleep();
      wakeUp = undefined;
    }
  }

  /** The start's spec, checked, and its run; undefined (after an error message) when either is wrong. */
  function checkStart(start: StartMessage): { spec: ExperimentSpec; run: RunSpec } | undefined {
    const checked = validateSpec(start.spec);
    if (!checked.ok) return void fail(start.runId, 'protocol', `invalid spec:\n${formatIssues(checked.issues)}`);
    const run = checked.spec.runs.find((r) => r.id === start.runId);
    if (!run) return void fail(start.runId, 'protocol', `the spec has no run "${start.runId}"`);
    return { spec: checked.spec, run };
  }

  function loadSplit(start: StartMessage, spec: ExperimentSpec): Promise<DatasetSplit> {
    let lastPost = -Infinity;
    return deps.loadData(spec, (p) => {
      // At most ten progress messages a second, and always the last one.
      if (now() - lastPost < 100 && p.loaded < p.total) return;
      lastPost = now();
      post({ type: 'data-progress', runId: start.runId, dataset: spec.dataset.name, ...p });
    });
  }

  /**
   * The 'open' start mode: the data, the backend and the run's model at its seeded initialisation,
   * no training and nothing reported about the run (the page keeps the history it shows); the phase
   * is already 'ended', so the opened weights' evaluation, landscapes and weights are answered at once.
   */
  async function load(start: StartMessage): Promise<void> {
    const id = start.runId;
    const checked = checkStart(start);
    if (!checked) return;
    const split = await loadSplit(start, checked.spec);
    await deps.initBackend(start.backend ?? checked.spec.train.backend);
    deps.onDeviceLost?.((reason) =>
      fail(id, 'device-lost', `the GPU device was lost (${reason}); open the weights again`),
    );
    if (phase !== 'ended') return; // disposed or failed while loading: no model to keep
    data = split;
    trainer = createTrainer(checked.spec, id, split);
  }

  async function train(start: StartMessage): Promise<void> {
    const id = start.runId;
    const checked = checkStart(start);
    if (!checked) return;
    const { spec, run } = checked;

    data = await loadSplit(start, spec);
    const backend = stopAsked() ? undefined : await deps.initBackend(start.backend ?? spec.train.backend);
    if (backend) {
      deps.onDeviceLost?.((reason) => fail(id, 'device-lost', `the GPU device was lost (${reason}); restart the run`));
      post({ type: 'status', runId: id, status: 'queued', backend });
    }
    if (stopAsked() || !backend) {
      move('release');
      jobs?.cancelAll('the run was stopped');
      return finish(id, stoppedBeforeStart(run));
    }

    try {
      trainer = createTrainer(spec, id, data);
      post({ type: 'status', runId: id, status: 'training', backend });
      const t = trainer;
      const progress = () => t.stepsDone / t.totalSteps;
      // The first turn comes before the step-0 evaluation: it may bring that point from another run.
      if ((await mayStep(id, progress, backend)) === 'stop') {
        jobs?.cancelAll('the run was stopped');
        return finish(id, stoppedBeforeStart(run));
      }
      turnSteps++; // that turn's steps are all still to take
      let mark = now();
      let imagesPerSec = 0;
      let lastAlive = now();
      const initialPoint = sharedStart?.backend === backend ? sharedStart.point : undefined;
      // The duality view (core/duality) at every evaluation, whatever landscape.when says: it is cheap
      // (one gradient and a CGLS solve on four images). Only models with an input conv have one.
      const withDuality = t.model.inputConv !== undefined;
      // A step-0 point from another run skips this run's own evaluation, not its duality view.
      if (initialPoint && withDuality) jobs?.enqueue(`duality-${initialPoint.step}`, ['duality'], 'eval');
      const result = await runTrainer(t, {
        initialPoint,
        onStep(record) {
          const dt = Math.max(now() - mark, 1e-3) / 1000;
          const instant = spec.train.batchSize / dt;
          imagesPerSec = imagesPerSec === 0 ? instant : imagesPerSec + SPEED_SMOOTHING * (instant - imagesPerSec);
          mark = now();
          post({
            type: 'progress',
            runId: id,
            step: record.step,
            totalSteps: t.totalSteps,
            epoch: record.epoch,
            loss: record.loss,
            acc: record.acc,
            imagesPerSec,
          });
        },
        onEvalBatch(activity) {
          if (now() - lastAlive < ALIVE_EVERY_MS) return;
          lastAlive = now();
          post({ type: 'alive', runId: id, activity });
        },
        onEval(point) {
          mark = now();
          post({ type: 'metrics', runId: id, point });
          if (spec.landscape.when === 'every-eval') jobs?.enqueue(`eval-${point.step}`, LANDSCAPE_KINDS, 'eval');
          if (withDuality) jobs?.enqueue(`duality-${point.step}`, ['duality'], 'eval');
        },
        async checkpoint() {
          await yieldToEvents();
          await jobs?.drain();
          await weights.drain();
          const t0 = now();
          const go = await mayStep(id, progress, backend);
          mark += now() - t0; // time spent paused or waiting for a turn is not step time
          return go;
        },
      });
      finish(id, result);
      move('finish'); // the model is kept for landscapes and weights
      if (result.status === 'done' && spec.landscape.when === 'end') jobs?.enqueue('end', LANDSCAPE_KINDS, 'end');
      await jobs?.drain();
    } finally {
      if (phase !== 'ended' || disposed) {
        jobs?.cancelAll('the run has no model');
        release();
      }
    }
  }

  function landscapeJobs(id: string): LandscapeJobs {
    return createLandscapeJobs({
      runId: id,
      post,
      subject: () =>
        trainer &&
        data && {
          model: trainer.model,
          data,
          spec: trainer.spec,
          run: trainer.run,
          step: trainer.stepsDone,
          epoch: trainer.stepsDone / trainer.stepsPerEpoch,
        },
      yieldToEvents,
      now,
    });
  }

  function release() {
    move('release');
    trainer?.dispose();
    trainer = undefined;
    data = undefined;
  }

  function finish(id: string, result: RunResult) {
    // runTrainer turns an exception in a step into an 'error' result; the page shows its message.
    if (result.status === 'error')
      post({ type: 'error', runId: id, kind: 'exception', message: result.error ?? 'training failed' });
    else post({ type: 'status', runId: id, status: result.status });
    post({ type: 'done', runId: id, result });
  }

  return { receive };
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
