import { describe, expect, it } from 'vitest';
import type { LifecycleAnnouncement } from '../core/run/lifecycle';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import type { FromWorker, ToWorker } from '../worker/protocol';
import { PROTOCOL_VERSION } from '../worker/protocol';
import { createLabStore } from './labStore';
import { createRunController, SILENCE_LIMIT_MS, type RunControllerOptions, type WorkerLike } from './runController';
import { selectWeightsGone } from './selectors';
import { showUnsavedResults } from './unsavedResults';

class FakeWorker implements WorkerLike {
  sent: ToWorker[] = [];
  terminated = false;
  private listeners: Record<string, ((e: never) => void)[]> = {};
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  addEventListener(type: string, l: (e: never) => void) {
    (this.listeners[type] ??= []).push(l);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data: FromWorker) {
    for (const l of this.listeners.message ?? []) l({ data } as never);
  }
  crash(message: string) {
    for (const l of this.listeners.error ?? []) l({ message, preventDefault() {} } as never);
  }
}

/** A clock the test moves by hand; the controller's periodic liveness check runs when asked. */
function manualClock() {
  const checks: (() => void)[] = [];
  const c = {
    t: 0,
    now: () => c.t,
    every: (_ms: number, cb: () => void) => void checks.push(cb),
    advance(ms: number) {
      c.t += ms;
      for (const f of checks) f();
    },
  };
  return c;
}

/**
 * A controller of fake workers, one per run unless `options.maxWorkers` says otherwise (the tests of
 * what a worker does for its run read easiest so); `options` may also replace its timer that fires at
 * once or add a backend chooser.
 */
function setup(
  maxParallel = 2,
  clock = manualClock(),
  options: Pick<RunControllerOptions, 'timer' | 'chooseBackend' | 'maxWorkers'> = {},
) {
  const spec: ExperimentSpec = structuredClone(DEFAULT_SPEC);
  const store = createLabStore({ spec, maxParallel });
  const workers: FakeWorker[] = [];
  const announced: LifecycleAnnouncement[] = [];
  // A timer that fires at once (and leaves no handle): every message lands in the store immediately.
  const controller = createRunController(
    store,
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    {
      timer: { set: (cb) => void cb(), clear: () => {} },
      clock,
      announce: (a) => announced.push(a),
      maxWorkers: Infinity,
      ...options,
    },
  );
  return { store, controller, workers, clock, announced };
}

/** The first run's worker reports its loaded data: the other runs' workers start with a copy. */
const dataReady = (w: FakeWorker, runId = 'sgd', copies = 2) => {
  for (let i = 0; i < copies; i++)
    w.emit({
      type: 'data-ready',
      runId,
      data: {
        train: { x: new Float32Array(1), y: new Uint8Array(1) },
        test: { x: new Float32Array(1), y: new Uint8Array(1) },
      } as never,
      shared: false,
    });
};

type Lab = ReturnType<typeof setup>;

/**
 * Train with "auto", measured by a chooser the test answers: nothing starts while it measures (no
 * worker, no data in the page); returns the lab once wasm is chosen and shown with its reason.
 */
async function trainThroughChooser(open: (options: Pick<RunControllerOptions, 'chooseBackend'>) => Lab) {
  let decide: (d: { backend: 'wasm'; reason: string; measurements: [] }) => void = () => {};
  const lab = open({ chooseBackend: () => new Promise((resolve) => (decide = resolve)) });
  lab.controller.train();
  expect(lab.store.getState().backendChoice).toEqual({ state: 'measuring' });
  expect(lab.workers).toHaveLength(0);
  decide({ backend: 'wasm', reason: 'wasm: 60 ms/step', measurements: [] });
  await Promise.resolve();
  expect(lab.store.getState().backendChoice).toEqual({ state: 'chosen', backend: 'wasm', reason: 'wasm: 60 ms/step' });
  return lab;
}

const done = (runId: string, status: 'done' | 'diverged' = 'done'): FromWorker => ({
  type: 'done',
  runId,
  result: { id: runId, method: 'sgd', status, history: [], msPerStep: 1 },
});

describe('run controller', () => {
  it('refuses an invalid spec and starts nothing', () => {
    const { store, controller, workers } = setup();
    store.getState().updateSpec((d) => (d.train.lr = -1));
    expect(store.getState().issues.map((i) => i.path)).toEqual(['train.lr']);
    expect(controller.train()).toBe(false);
    expect(workers).toHaveLength(0);
    expect(store.getState().runOrder).toEqual([]);
  });

  it('starts a worker per run with the versioned start message; an ended run keeps its worker', () => {
    const { store, controller, workers } = setup(2);
    expect(controller.train()).toBe(true);
    // The first run loads the data; the others start with its copy.
    expect(workers).toHaveLength(1);
    expect(workers[0].sent[0]).toMatchObject({ shareData: 2 });
    dataReady(workers[0]);
    expect(workers).toHaveLength(3);
    expect(workers[1].sent[0]).toMatchObject({ data: {} });
    expect(workers.map((w) => w.sent[0])).toMatchObject(
      ['sgd', 'sam', 'at'].map((runId) => ({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId })),
    );
    expect(store.getState().runs.at.status).toBe('queued');
    workers[0].emit(done('sgd'));
    // An ended run's worker stays alive with its model (landscapes on demand).
    expect(workers[0].terminated).toBe(false);
  });

  it('gives turns to at most maxParallel runs, the least advanced first, and shares the step-0 point', () => {
    const { store, controller, workers } = setup(1);
    controller.train();
    dataReady(workers[0]);
    const turns = (w: FakeWorker) => w.sent.filter((m) => m.type === 'turn');
    workers.forEach((w, i) =>
      w.emit({ type: 'status', runId: ['sgd', 'sam', 'at'][i], status: 'training', backend: 'wasm' }),
    );
    for (const [i, id] of ['sgd', 'sam', 'at'].entries())
      workers[i].emit({ type: 'want-turn', runId: id, progress: 0 });
    // One place: the first run leads and computes the step-0 evaluation; the others wait for it.
    expect(turns(workers[0])).toHaveLength(1);
    expect(turns(workers[0])[0]).not.toHaveProperty('initialPoint.point');
    expect(turns(workers[1]).length + turns(workers[2]).length).toBe(0);
    const point = { epoch: 0, step: 0, trainLoss: NaN, trainAcc: NaN, cleanAcc: 0.1, robust: { 'linf:0.1': 0.05 } };
    workers[0].emit({ type: 'metrics', runId: 'sgd', point });
    // The point shows on every run at once, before their turns.
    expect(['sgd', 'sam', 'at'].map((id) => store.getState().runs[id].history)).toEqual([[point], [point], [point]]);
    workers[0].emit({ type: 'want-turn', runId: 'sgd', progress: 0.1 });
    expect(turns(workers[1])).toEqual([
      { type: 'turn', runId: 'sam', steps: expect.any(Number), initialPoint: { point, backend: 'wasm' } },
    ]);
    workers[1].emit({ type: 'want-turn', runId: 'sam', progress: 0.1 });
    expect(turns(workers[2])[0]).toMatchObject({ runId: 'at', initialPoint: { point } });
    workers[2].emit({ type: 'want-turn', runId: 'at', progress: 0.05 });
    // The least advanced goes next; a paused run frees its place.
    expect(turns(workers[2])).toHaveLength(2);
    workers[2].emit({ type: 'status', runId: 'at', status: 'paused' });
    expect(turns(workers[0])).toHaveLength(2);
  });

  it('with several places, keeps a run from getting half an evaluation ahead of the slowest', () => {
    const { controller, workers } = setup(2);
    controller.train();
    dataReady(workers[0]);
    const ids = ['sgd', 'sam', 'at'];
    workers.forEach((w, i) => w.emit({ type: 'status', runId: ids[i], status: 'training', backend: 'wasm' }));
    workers.forEach((w, i) => w.emit({ type: 'want-turn', runId: ids[i], progress: 0 }));
    const point = { epoch: 0, step: 0, trainLoss: NaN, trainAcc: NaN, cleanAcc: 0.1, robust: {} };
    workers[0].emit({ type: 'metrics', runId: 'sgd', point });
    const turns = (i: number) => workers[i].sent.filter((m) => m.type === 'turn').length;
    expect([turns(0), turns(1), turns(2)]).toEqual([1, 1, 0]);
    // Six epochs, an evaluation each: half an evaluation is 1/12 of the run.
    workers[0].emit({ type: 'want-turn', runId: 'sgd', progress: 0.05 });
    expect(turns(2)).toBe(1); // the slowest (at, 0) takes the free place
    workers[1].emit({ type: 'want-turn', runId: 'sam', progress: 0.1 });
    expect(turns(0)).toBe(2); // sgd at 0.05 is within 1/12 of at
    workers[0].emit({ type: 'want-turn', runId: 'sgd', progress: 0.1 });
    expect([turns(0), turns(1)]).toEqual([2, 1]); // both 0.1 ahead of at: the place stays free
    workers[2].emit({ type: 'want-turn', runId: 'at', progress: 0.05 });
    expect(turns(2)).toBe(2);
    expect(turns(0) + turns(1)).toBe(4); // at 0.05 now: sgd and sam are within reach again
  });

  it('marks a run whose worker falls silent as failed, with a Restart; waiting and paused runs may be silent', () => {
    const { store, controller, workers, clock } = setup(1);
    controller.train();
    dataReady(workers[0]);
    workers.forEach((w, i) =>
      w.emit({ type: 'status', runId: ['sgd', 'sam', 'at'][i], status: 'training', backend: 'wasm' }),
    );
    workers[0].emit({ type: 'want-turn', runId: 'sgd', progress: 0 }); // leads: computes the step-0 point
    workers[1].emit({ type: 'want-turn', runId: 'sam', progress: 0 }); // waits for that point
    workers[2].emit({ type: 'status', runId: 'at', status: 'paused' });
    clock.advance(SILENCE_LIMIT_MS - 1);
    expect(store.getState().runs.sgd.status).toBe('training');
    // A long evaluation says it lives, and what it does.
    workers[0].emit({ type: 'alive', runId: 'sgd', activity: 'final evaluation: APGD L∞ 8/255' });
    clock.advance(SILENCE_LIMIT_MS - 1);
    expect(store.getState().runs.sgd).toMatchObject({
      status: 'training',
      activity: 'final evaluation: APGD L∞ 8/255',
    });
    clock.advance(2);
    expect(store.getState().runs.sgd).toMatchObject({
      status: 'error',
      error: { kind: 'crash', message: expect.stringContaining('stopped responding') },
    });
    expect(workers[0].terminated).toBe(true);
    expect(store.getState().runs.sam.status).toBe('training');
    expect(store.getState().runs.at.status).toBe('paused');
    // The lead passes on: the waiting run gets its turn.
    expect(workers[1].sent.filter((m) => m.type === 'turn')).toHaveLength(1);
    controller.restart('sgd');
    expect(workers.at(-1)!.sent[0]).toMatchObject({ type: 'start', runId: 'sgd' });
  });

  it('passes the shared point on the first turn even before the store has seen the backends (messages are buffered)', () => {
    // A timer that never fires: every worker message waits in the buffer.
    const { store, controller, workers } = setup(1, manualClock(), { timer: { set: () => 0, clear: () => {} } });
    controller.train();
    dataReady(workers[0]);
    const ids = ['sgd', 'sam', 'at'];
    workers.forEach((w, i) => w.emit({ type: 'status', runId: ids[i], status: 'queued', backend: 'wasm' }));
    workers.forEach((w, i) => w.emit({ type: 'want-turn', runId: ids[i], progress: 0 }));
    expect(store.getState().runs.sam.backend).toBeUndefined();
    const point = { epoch: 0, step: 0, trainLoss: NaN, trainAcc: NaN, cleanAcc: 0.1, robust: {} };
    workers[0].emit({ type: 'metrics', runId: 'sgd', point });
    workers[0].emit({ type: 'want-turn', runId: 'sgd', progress: 0.1 });
    expect(workers[1].sent.find((m) => m.type === 'turn')).toMatchObject({ initialPoint: { point, backend: 'wasm' } });
  });

  it('hands the lead on when the leader fails before its step-0 point', () => {
    const { controller, workers } = setup(1);
    controller.train();
    dataReady(workers[0]);
    workers.forEach((w, i) => w.emit({ type: 'want-turn', runId: ['sgd', 'sam', 'at'][i], progress: 0 }));
    workers[0].emit({ type: 'error', runId: 'sgd', kind: 'exception', message: 'boom' });
    const turn = workers[1].sent.find((m) => m.type === 'turn');
    expect(turn).toMatchObject({ runId: 'sam' });
    expect(turn).not.toHaveProperty('initialPoint.point');
  });

  it('resolves "auto" once through the chooser, shows why, and starts the runs on that backend', async () => {
    const { workers } = await trainThroughChooser((options) => setup(1, manualClock(), options));
    expect(workers.map((w) => w.sent)).toMatchObject([[{ type: 'start', backend: 'wasm', shareData: 2 }]]);
    dataReady(workers[0]);
    expect(workers.slice(1).map((w) => w.sent[0])).toMatchObject([
      { backend: 'wasm', data: {} },
      { backend: 'wasm', data: {} },
    ]);
  });

  it('marks a diverged run and lets the others go on', () => {
    const { store, controller, workers } = setup(3);
    controller.train();
    dataReady(workers[0]);
    workers[1].emit({ type: 'status', runId: 'sam', status: 'training', backend: 'wasm' });
    workers[0].emit(done('sgd', 'diverged'));
    const runs = store.getState().runs;
    expect(runs.sgd.status).toBe('diverged');
    expect(runs.sam.status).toBe('training');
    expect(workers[1].terminated).toBe(false);
  });

  it("puts a crashed worker's run in error, ignores its later messages and restarts it alone", () => {
    const { store, controller, workers } = setup(3);
    controller.train();
    dataReady(workers[0]);
    workers[2].emit({ type: 'status', runId: 'at', status: 'training' });
    workers[2].crash('out of memory');
    expect(store.getState().runs.at).toMatchObject({ status: 'error', error: { kind: 'crash' } });
    expect(workers[2].terminated).toBe(true);
    workers[2].emit({ type: 'status', runId: 'at', status: 'training' });
    expect(store.getState().runs.at.status).toBe('error');
    controller.restart('at');
    expect(workers).toHaveLength(4);
    expect(workers[3].sent[0]).toMatchObject({ type: 'start', runId: 'at' });
    expect(store.getState().runs.at.status).toBe('queued');
    expect(store.getState().runs.sgd).toBe(store.getState().runs.sgd);
    expect(workers[0].terminated).toBe(false);
  });

  it('gives shared data to every run, a fourth and a restarted one too; copies go once each, then a run loads its own', () => {
    const split = (x: Float32Array) =>
      ({ train: { x, y: new Uint8Array(1) }, test: { x, y: new Uint8Array(1) } }) as never;
    const started = (w: FakeWorker) => w.sent.find((m) => m.type === 'start');
    for (const shared of [true, false]) {
      const { store, controller, workers } = setup(1);
      store.getState().addRun('sgd'); // a fourth run: it starts when a place is free
      controller.train();
      const data = shared ? [split(new Float32Array(1))] : [split(new Float32Array(1)), split(new Float32Array(1))];
      for (const d of data) workers[0].emit({ type: 'data-ready', runId: 'sgd', data: d, shared });
      workers[1].emit(done('sam'));
      controller.restart('sam');
      workers[2].emit(done('at'));
      expect(workers.map((w) => started(w)?.runId)).toEqual(['sgd', 'sam', 'at', 'sgd1', 'sam']);
      const given = workers.slice(1).map((w) => (started(w) as { data?: unknown }).data);
      // The third run waits for the second copy (it does not load its own while one is on its way).
      expect(given).toEqual(shared ? [data[0], data[0], data[0], data[0]] : [data[0], data[1], undefined, undefined]);
      if (shared) expect(given.every((d) => d === data[0])).toBe(true);
    }
  });

  it('sends pause, resume and stop to the running workers; stop ends queued runs too', () => {
    const { store, controller, workers } = setup(1);
    store.getState().addRun('sgd'); // a fourth run: it waits queued, without a worker
    controller.train();
    dataReady(workers[0]);
    controller.pause();
    controller.resume();
    controller.stop();
    expect(workers).toHaveLength(3);
    for (const w of workers) expect(w.sent.map((m) => m.type)).toEqual(['start', 'pause', 'resume', 'stop']);
    expect(store.getState().runs.sgd1.status).toBe('stopped');
    workers[0].emit(done('sgd'));
    expect(workers).toHaveLength(3); // nothing left to start
  });

  it('"pause all" holds the runs not yet started until "resume all"; a paused run\'s place stays free', () => {
    const { store, controller, workers } = setup(1);
    for (let i = 0; i < 3; i++) store.getState().addRun('sgd'); // six runs: three start, three wait
    controller.train();
    dataReady(workers[0], 'sgd', 2);
    expect(workers).toHaveLength(3);
    controller.pause();
    workers[0].emit(done('sgd')); // a run that ended before its pause took effect frees a place
    workers.slice(1).forEach((w, i) => w.emit({ type: 'status', runId: ['sam', 'at'][i], status: 'paused' }));
    expect(workers).toHaveLength(3);
    controller.resume();
    expect(workers).toHaveLength(4);
    expect(workers[3].sent[0]).toMatchObject({ type: 'start', runId: 'sgd1' });
    // Resumed, the others go on: only the started runs hear the resume.
    expect(workers[1].sent.map((m) => m.type)).toEqual(['start', 'pause', 'resume']);
  });

  it('announces a Train, a Restart and a Reset to whoever keeps the experiment', () => {
    const { controller, workers, announced } = setup(3);
    controller.train();
    dataReady(workers[0]);
    workers[1].emit(done('sam'));
    controller.restart('sam');
    controller.restart('at'); // still training: not restarted
    controller.reset();
    expect(announced).toEqual([
      { type: 'experimentReset' },
      { type: 'experimentStarted' },
      { type: 'runRestarted', runId: 'sam' },
      { type: 'experimentReset' },
    ]);
  });

  it('reset terminates every worker and forgets the runs', () => {
    const { store, controller, workers } = setup(3);
    controller.train();
    dataReady(workers[0]);
    controller.reset();
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(store.getState().runOrder).toEqual([]);
  });
});

describe('open weights into an imported run', () => {
  /** The default experiment imported from a cluster's results file: no worker holds its runs. */
  function imported() {
    const t = setup(2);
    const spec = structuredClone(DEFAULT_SPEC);
    const point = {
      epoch: spec.train.epochs,
      step: 90,
      trainLoss: 0.4,
      trainAcc: 0.9,
      cleanAcc: 0.8,
      robust: { 'linf:0.0157': 0.5 },
    };
    showUnsavedResults(t.store, {
      spec,
      backend: 'pytorch',
      runs: spec.runs.map((r) => ({ id: r.id, method: r.method, status: 'done', history: [point], msPerStep: 5 })),
    });
    return { ...t, views: t.store.getState().runs };
  }
  const scores = { cleanAcc: 0.75, cleanLoss: 0.6, robust: { 'linf:0.0157': 0.4 } };
  const opened = (w: FakeWorker) => w.sent.find((m) => m.type === 'open-weights')!;

  it("starts one worker in open mode (no training turns), reports the weights' evaluation and keeps the shown history", async () => {
    const { store, controller, workers, clock, views } = imported();
    expect(selectWeightsGone('sam')(store.getState())).toBe(true);
    const result = controller.openWeights('sam', new ArrayBuffer(8));
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.type)).toEqual(['start', 'open-weights']);
    expect(workers[0].sent[0]).toMatchObject({
      type: 'start',
      runId: 'sam',
      mode: 'open',
      protocolVersion: PROTOCOL_VERSION,
    });
    // Loading a large dataset may take long: an opened run is ended, not a silent training run.
    clock.advance(2 * SILENCE_LIMIT_MS);
    workers[0].emit({ type: 'data-progress', runId: 'sam', dataset: 'shapes', loaded: 1, total: 2, file: 'x' });
    workers[0].emit({
      type: 'weights-opened',
      runId: 'sam',
      requestId: (opened(workers[0]) as { requestId: string }).requestId,
      scores,
      metadata: { trained_with: 'pytorch' },
    });
    await expect(result).resolves.toEqual({ scores, metadata: { trained_with: 'pytorch' } });
    expect(workers[0].terminated).toBe(false);
    expect(workers[0].sent.some((m) => m.type === 'turn')).toBe(false);
    expect(store.getState().runs).toEqual(views);
    expect(selectWeightsGone('sam')(store.getState())).toBe(false);
    expect(selectWeightsGone('sgd')(store.getState())).toBe(true);
    // Its worker now answers like a trained run's: landscapes, and the next file goes to the same worker.
    expect(controller.landscape('sam')).toBe(true);
    void controller.openWeights('sam', new ArrayBuffer(8));
    expect(workers).toHaveLength(1);
  });

  it('a refused file ends the new worker with the reason and loses nothing; a worker that fails to load leaves the view as it was', async () => {
    const { store, controller, workers, views } = imported();
    const refused = controller.openWeights('sgd', new ArrayBuffer(8));
    workers[0].emit({
      type: 'weights-opened',
      runId: 'sgd',
      requestId: (opened(workers[0]) as { requestId: string }).requestId,
      message: 'not a safetensors file',
    });
    await expect(refused).rejects.toThrow('not a safetensors file');
    expect(workers[0].terminated).toBe(true);
    expect(selectWeightsGone('sgd')(store.getState())).toBe(true);
    expect(controller.landscape('sgd')).toBe(false);

    const failed = controller.openWeights('sgd', new ArrayBuffer(8));
    expect(workers).toHaveLength(2);
    workers[1].emit({ type: 'error', runId: 'sgd', kind: 'exception', message: 'the dataset shapes is missing' });
    await expect(failed).rejects.toThrow('the dataset shapes is missing');
    expect(workers[1].terminated).toBe(true);
    expect(store.getState().runs).toEqual(views);
    expect(selectWeightsGone('sgd')(store.getState())).toBe(true);
  });

  it('a run whose opened worker crashes has no weights again; Restart trains it in a new worker', async () => {
    const { store, controller, workers } = imported();
    const result = controller.openWeights('at', new ArrayBuffer(8));
    workers[0].emit({
      type: 'weights-opened',
      runId: 'at',
      requestId: (opened(workers[0]) as { requestId: string }).requestId,
      scores,
      metadata: {},
    });
    await result;
    workers[0].crash('out of memory');
    expect(selectWeightsGone('at')(store.getState())).toBe(true);
    expect(store.getState().runs.at.status).toBe('done');
    controller.restart('at');
    expect(workers[1].sent[0]).toMatchObject({ type: 'start', runId: 'at' });
    expect(workers[1].sent[0]).not.toHaveProperty('mode');
    expect(store.getState().runs.at.status).toBe('queued');
  });

  it('refuses a run that is still training', async () => {
    const { controller, workers } = setup(2);
    controller.train();
    await expect(controller.openWeights('sam', new ArrayBuffer(8))).rejects.toThrow('weights open into an ended run');
    expect(workers).toHaveLength(1);
  });
});

describe('run controller, one worker for every run (the page default)', () => {
  const oneWorker = (options: Pick<RunControllerOptions, 'chooseBackend'> = {}) =>
    setup(2, manualClock(), { maxWorkers: 1, ...options });
  const sentTo = (w: FakeWorker, type: ToWorker['type']) => w.sent.filter((m) => m.type === type);

  it('starts every run in one worker, which loads the data once; nothing starts while the backend is measured', async () => {
    const { store, workers } = await trainThroughChooser(oneWorker);
    expect(workers).toHaveLength(1);
    expect(workers[0].sent).toEqual(
      ['sgd', 'sam', 'at'].map((runId) => ({
        type: 'start',
        protocolVersion: PROTOCOL_VERSION,
        runId,
        spec: store.getState().trainedSpec,
        backend: 'wasm',
      })),
    );
  });

  it('lets one run step at a time in the worker, whatever maxParallel says', () => {
    const { controller, workers } = oneWorker();
    controller.train();
    const [w] = workers;
    for (const id of ['sgd', 'sam', 'at']) {
      w.emit({ type: 'status', runId: id, status: 'training', backend: 'wasm' });
      w.emit({ type: 'want-turn', runId: id, progress: 0 });
    }
    expect(sentTo(w, 'turn')).toMatchObject([{ runId: 'sgd' }]);
    w.emit({ type: 'metrics', runId: 'sgd', point: { step: 0 } as never }); // the leader's step-0 point
    expect(sentTo(w, 'turn')).toHaveLength(1); // still sgd's turn
    w.emit({ type: 'want-turn', runId: 'sgd', progress: 0.1 });
    expect(sentTo(w, 'turn').map((m) => m.runId)).toEqual(['sgd', 'sam']);
    w.emit({ type: 'want-turn', runId: 'sam', progress: 0.1 });
    expect(sentTo(w, 'turn').map((m) => m.runId)).toEqual(['sgd', 'sam', 'at']);
  });

  it("lets go of a restarted run in the worker the others still use, and drops its old session's last words", () => {
    const { store, controller, workers } = oneWorker();
    controller.train();
    const [w] = workers;
    w.emit(done('sam'));
    controller.restart('sam');
    expect(w.terminated).toBe(false);
    expect(workers).toHaveLength(1);
    expect(w.sent.slice(-2)).toMatchObject([
      { type: 'dispose', runId: 'sam' },
      { type: 'start', runId: 'sam' },
    ]);
    // Said before the worker got the dispose: not the new session's.
    w.emit({ type: 'status', runId: 'sam', status: 'stopped' });
    expect(store.getState().runs.sam.status).toBe('queued');
    w.emit({ type: 'disposed', runId: 'sam' });
    w.emit({ type: 'status', runId: 'sam', status: 'training', backend: 'wasm' });
    expect(store.getState().runs.sam.status).toBe('training');
  });

  it('a crash of the worker fails every run it hosted; a Restart starts a new worker; Reset ends the worker', () => {
    const { store, controller, workers } = oneWorker();
    controller.train();
    workers[0].emit(done('sgd'));
    workers[0].crash('out of memory');
    expect(workers[0].terminated).toBe(true);
    expect(store.getState().runs.sam).toMatchObject({ status: 'error', error: { kind: 'crash' } });
    expect(store.getState().runs.at).toMatchObject({ status: 'error', error: { kind: 'crash' } });
    expect(selectWeightsGone('sgd')(store.getState())).toBe(true);
    controller.restart('at');
    expect(workers).toHaveLength(2);
    expect(workers[1].sent[0]).toMatchObject({ type: 'start', runId: 'at' });
    controller.reset();
    expect(workers[1].terminated).toBe(true);
  });

  it('ends the worker when its last run is let go of, not before', () => {
    const { controller, workers } = setup(2, manualClock(), { maxWorkers: 1 });
    controller.train();
    const [w] = workers;
    for (const id of ['sgd', 'sam', 'at']) w.emit(done(id));
    controller.restart('sgd');
    expect(w.terminated).toBe(false);
    w.emit({ type: 'disposed', runId: 'sgd' });
    w.emit({ type: 'error', runId: 'sgd', kind: 'exception', message: 'boom' });
    expect(sentTo(w, 'dispose').map((m) => m.runId)).toEqual(['sgd', 'sgd']);
    controller.reset();
    expect(w.terminated).toBe(true);
    expect(sentTo(w, 'dispose').map((m) => m.runId)).toEqual(['sgd', 'sgd', 'sam']); // the last one is ended, not disposed
  });

  it('spreads runs over maxWorkers workers, each new run to the one hosting fewest; only a new worker is handed the data', () => {
    const { controller, workers } = setup(2, manualClock(), { maxWorkers: 2 });
    controller.train();
    // One copy, for the one other worker; the next run waits for it rather than load the data again.
    expect(workers.map((w) => sentTo(w, 'start'))).toMatchObject([[{ runId: 'sgd', shareData: 1 }]]);
    dataReady(workers[0], 'sgd', 1);
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => sentTo(w, 'start').map((m) => m.runId))).toEqual([['sgd', 'at'], ['sam']]);
    // The run joining the data source's worker reads the data kept there (worker/splitCache.ts).
    expect(sentTo(workers[0], 'start')[1]).not.toHaveProperty('data');
    expect(sentTo(workers[1], 'start')[0]).toHaveProperty('data');
  });
});

describe('experiment slice', () => {
  it('adds runs with fresh ids, switches methods with defaults and reports per-field issues', () => {
    const store = createLabStore();
    const s = () => store.getState();
    s().addRun('sam');
    expect(s().spec.runs.at(-1)).toEqual({ id: 'sam1', method: 'sam', rho: 0.05 });
    s().setRunMethod('sam1', 'at');
    expect(s().spec.runs.at(-1)).toMatchObject({ id: 'sam1', method: 'at', norm: 'linf' });
    s().updateSpec((d) => {
      const run = d.runs.at(-1)!;
      if (run.method === 'at') run.eps = 2;
    });
    expect(s().issues).toEqual([{ path: 'runs[3].eps', message: expect.stringContaining('[0, 1]') }]);
    s().removeRun('sam1');
    expect(s().issues).toEqual([]);
  });

  it('loads a preset as a valid spec', () => {
    const store = createLabStore();
    store.getState().loadPreset('fashion-mnist');
    expect(store.getState().presetId).toBe('fashion-mnist');
    expect(store.getState().spec.dataset.name).toBe('fashion-mnist');
    expect(store.getState().issues).toEqual([]);
  });
});
