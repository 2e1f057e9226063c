import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleResults } from '../core/landscape/resultFixtures';
import type { LandscapeKind } from '../core/landscape/results';
import { createLifecycleAnnouncements, type LifecycleAnnouncements } from '../core/run/lifecycle';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import type { HistoryPoint } from '../core/train/results';
import { openExperimentDb, type ExperimentDb } from './experimentDb';
import { experimentLocks } from './experimentLocks';
import { createLabStore, type LabStore } from './labStore';
import { attachPersistence, type Persistence } from './persistence';
import type { ToWorker } from '../worker/protocol';
import type { RunDataPart } from './runData';
import { createRunController, type WorkerLike } from './runController';
import { selectWeightsGone } from './selectors';

const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_SPEC),
  runs: [
    { id: 'a', method: 'sgd' },
    { id: 'b', method: 'sam', rho: 0.05 },
  ],
};
const point = (step: number, cleanAcc: number): HistoryPoint => ({
  epoch: step / 10,
  step,
  trainLoss: 1 / (step + 1),
  trainAcc: 0.5,
  cleanAcc,
  robust: {},
});

const opened: { db: ExperimentDb; p: Persistence }[] = [];
afterEach(() => {
  for (const { db, p } of opened.splice(0)) {
    p.detach();
    db.close();
  }
});

/** Each page's run-controller announcements, by its store. */
const lifecycles = new WeakMap<LabStore, LifecycleAnnouncements>();

/** One "page": a store and its persistence over a database that outlives it (the browser's). */
async function page(
  factory: IDBFactory,
  options: Parameters<typeof attachPersistence>[2] = {},
): Promise<{ store: LabStore; p: Persistence; db: ExperimentDb }> {
  const store = createLabStore({ spec });
  const db = await openExperimentDb(factory);
  const announcements = createLifecycleAnnouncements();
  lifecycles.set(store, announcements);
  const p = attachPersistence(store, db, { announcements, ...options });
  opened.push({ db, p });
  return { store, p, db };
}

/** What the run controller does when Train and Reset are pressed, and the messages of a worker. */
function train(store: LabStore) {
  store.getState().resetRuns(store.getState().spec);
  lifecycles.get(store)!.announce({ type: 'experimentStarted' });
}
function reset(store: LabStore) {
  store.getState().resetRuns(undefined);
  lifecycles.get(store)!.announce({ type: 'experimentReset' });
}
const status = (store: LabStore, runId: string, s: 'training' | 'done') =>
  store.getState().applyWorkerMessages([{ type: 'status', runId, status: s, backend: 'wasm' }]);
const metrics = (store: LabStore, runId: string, p: HistoryPoint) =>
  store.getState().applyWorkerMessages([{ type: 'metrics', runId, point: p }]);
const progress = (store: LabStore, runId: string, step: number) =>
  store
    .getState()
    .applyWorkerMessages([
      { type: 'progress', runId, step, totalSteps: 20, epoch: step / 10, loss: 1, acc: 0.5, imagesPerSec: 100 },
    ]);
/** A worker's landscape messages: begun at `step`, one partial result, then done with all of `kinds`. */
function landscape(
  store: LabStore,
  runId: string,
  requestId: string,
  step: number,
  kinds: LandscapeKind[],
  end = true,
) {
  const results = sampleResults();
  store.getState().applyLandscapeMessages([
    {
      type: 'landscape-start',
      runId,
      requestId,
      trigger: 'manual',
      kinds,
      step,
      epoch: step / 10,
      estimate: { evals: 20, gradEvals: 10 },
    },
    { type: 'landscape-partial', runId, requestId, result: results[kinds[0]], progress: 0.5 },
  ]);
  if (end)
    store
      .getState()
      .applyLandscapeMessages([
        { type: 'landscape-done', runId, requestId, results: kinds.map((k) => results[k]), ms: 321 },
      ]);
}

describe('persistence', () => {
  it('saves runs as they arrive; after a "reload" finished runs are all there and a cut-off run is interrupted with its data', async () => {
    const factory = new IDBFactory();
    const first = await page(factory);
    train(first.store);
    const id = first.store.getState().experimentId!;
    expect(id).toBeDefined();
    status(first.store, 'a', 'training');
    metrics(first.store, 'a', point(0, 0.1));
    metrics(first.store, 'a', point(10, 0.6));
    status(first.store, 'a', 'done');
    status(first.store, 'b', 'training');
    metrics(first.store, 'b', point(0, 0.1));
    progress(first.store, 'b', 7);
    await first.p.flush();
    // The tab closes mid-way through run b: a new page over the same database.
    const second = await page(factory);
    await second.p.refreshList();
    const list = second.store.getState().archive;
    expect(list.map((e) => e.id)).toEqual([id]);
    expect(await second.p.open(id)).toBe(true);
    const s = second.store.getState();
    expect(s.experimentId).toBe(id);
    expect(s.runOrder).toEqual(['a', 'b']);
    expect(s.runs.a.status).toBe('done');
    expect(s.runs.a.history.map((h) => h.cleanAcc)).toEqual([0.1, 0.6]);
    expect(s.runs.b.status).toBe('interrupted');
    expect(s.runs.b.step).toBe(7);
    expect(s.runs.b.history).toHaveLength(1);
    expect(s.trainedSpec).toEqual(spec);
    await second.p.flush();
    // The interrupted status is saved too, for the history list.
    expect((await second.db.getExperiment(id))!.statuses).toEqual({ a: 'done', b: 'interrupted' });
  });

  it('the history list shows the unfinished runs of a closed tab as interrupted, and those of an open tab as they are', async () => {
    // The browser's Web Locks, shared by the tabs; a closed tab's locks are let go.
    const names = new Map<string, number>();
    const locks = {
      request: (name: string, work: () => Promise<void>) => {
        names.set(name, (names.get(name) ?? 0) + 1);
        return work().finally(() =>
          names.get(name) === 1 ? names.delete(name) : names.set(name, names.get(name)! - 1),
        );
      },
      query: async () => ({ held: [...names.keys()].map((name) => ({ name })) }),
    } as unknown as LockManager;
    const factory = new IDBFactory();
    const first = await page(factory, { locks: experimentLocks(locks) });
    train(first.store);
    const id = first.store.getState().experimentId!;
    status(first.store, 'a', 'done');
    status(first.store, 'b', 'training');
    await first.p.flush();
    const second = await page(factory, { locks: experimentLocks(locks) });
    await second.p.refreshList();
    expect(second.store.getState().archive[0].statuses).toEqual({ a: 'done', b: 'training' });
    first.p.detach(); // the first tab closes
    await second.p.refreshList();
    expect(second.store.getState().archive[0]).toMatchObject({ id, statuses: { a: 'done', b: 'interrupted' } });
  });

  it('throttles progress saves to one per interval per run, but saves every evaluation at once', async () => {
    let t = 0;
    const factory = new IDBFactory();
    const { store, db, p } = await page(factory, { now: () => t, throttleMs: 1000 });
    const puts: string[] = [];
    const putRun = db.putRun;
    db.putRun = (r) => {
      puts.push(`${r.id}@${r.view.step}/${r.view.history.length}`);
      return putRun(r);
    };
    train(store);
    status(store, 'a', 'training');
    puts.length = 0;
    for (let step = 1; step <= 5; step++) {
      t += 100;
      progress(store, 'a', step);
    }
    expect(puts).toEqual([]); // within the second: waiting
    metrics(store, 'a', point(5, 0.3));
    expect(puts).toEqual(['a@5/1']); // an evaluation: saved at once
    t += 1000;
    progress(store, 'a', 6);
    expect(puts).toEqual(['a@5/1', 'a@6/1']);
    await p.flush();
  });

  it('renames and deletes saved experiments; saves and restores run-level data of other slices', async () => {
    const factory = new IDBFactory();
    // A stand-in for another slice's per-run data (landscapes): kept in the store beside the runs.
    const extra = new Map<string, unknown>();
    const part: RunDataPart = {
      key: 'note',
      read: (_s, id) => extra.get(id),
      restore: (_s, id, v) => (extra.set(id, v), {}),
    };
    const first = await page(factory, { parts: [part] });
    train(first.store);
    const id = first.store.getState().experimentId!;
    extra.set('a', { grid: new Float32Array([1, 2, 3]) });
    status(first.store, 'a', 'done');
    await first.p.flush();
    extra.clear();
    const second = await page(factory, { parts: [part] });
    await second.p.open(id);
    expect(extra.get('a')).toEqual({ grid: new Float32Array([1, 2, 3]) });
    await second.p.rename(id, 'my run');
    expect(second.store.getState().archive[0].name).toBe('my run');
    await second.p.remove(id);
    expect(second.store.getState().archive).toEqual([]);
    expect(second.store.getState().experimentId).toBeUndefined();
    expect(await second.p.open(id)).toBe(false);
  });

  it('a new Train is a new experiment; Reset forgets which one is shown', async () => {
    const { store, p } = await page(new IDBFactory());
    train(store);
    const first = store.getState().experimentId;
    train(store);
    expect(store.getState().experimentId).not.toBe(first);
    reset(store);
    expect(store.getState().experimentId).toBeUndefined();
    await p.flush();
    await p.refreshList();
    expect(store.getState().archive).toHaveLength(2);
  });

  it('a Train click writes the experiment record once, with every run queued, and reads the list once', async () => {
    const three: ExperimentSpec = {
      ...spec,
      runs: [...spec.runs, { id: 'c', method: 'at', norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 2 }],
    };
    const { store, db, p } = await page(new IDBFactory());
    store.getState().setSpec(three);
    const puts: string[][] = [];
    let lists = 0;
    const putExperiment = db.putExperiment;
    const listExperiments = db.listExperiments;
    db.putExperiment = (r) => (puts.push(r.runOrder.map((id) => r.statuses[id] ?? 'none')), putExperiment(r));
    db.listExperiments = () => (lists++, listExperiments());
    train(store);
    await p.flush();
    expect(puts).toEqual([['queued', 'queued', 'queued']]);
    expect(lists).toBe(1);
    expect(store.getState().archive[0].statuses).toEqual({ a: 'queued', b: 'queued', c: 'queued' });
    // Statuses changed by one batch of worker messages: one write again.
    store.getState().applyWorkerMessages(
      ['a', 'b', 'c'].map((runId) => ({
        type: 'status' as const,
        runId,
        status: 'training' as const,
        backend: 'wasm' as const,
      })),
    );
    await p.flush();
    expect(puts).toEqual([
      ['queued', 'queued', 'queued'],
      ['training', 'training', 'training'],
    ]);
    expect(lists).toBe(2);
  });

  it('an experiment deleted or renamed before its record is written stays deleted or renamed', async () => {
    const { store, db, p } = await page(new IDBFactory());
    train(store);
    const first = store.getState().experimentId!;
    void p.remove(first);
    train(store);
    const second = store.getState().experimentId!;
    void p.rename(second, 'kept');
    await p.flush();
    await p.refreshList();
    expect(await db.getExperiment(first)).toBeUndefined();
    expect(store.getState().archive.map((e) => [e.id, e.name])).toEqual([[second, 'kept']]);
  });
});

describe('landscapes saved with a run', () => {
  it('saves the finished landscapes (not the one in progress or the queued requests) and restores them with the run', async () => {
    const factory = new IDBFactory();
    const first = await page(factory);
    train(first.store);
    const id = first.store.getState().experimentId!;
    status(first.store, 'a', 'training');
    metrics(first.store, 'a', point(0, 0.1));
    landscape(first.store, 'a', 'page-1', 3, ['weight-1d', 'input-1d', 'weight-2d', 'input-2d', 'sharpness']);
    landscape(first.store, 'a', 'page-2', 6, ['weight-1d', 'sharpness']);
    landscape(first.store, 'b', 'eval-0', 0, ['input-2d']);
    // In progress and queued when the page goes away: neither comes back.
    landscape(first.store, 'a', 'page-3', 8, ['weight-2d'], false);
    first.store.getState().landscapeRequested('b', 'page-4');
    status(first.store, 'a', 'done');
    const saved = first.store.getState().landscapes;
    await first.p.flush();

    const second = await page(factory);
    expect(await second.p.open(id)).toBe(true);
    const s = second.store.getState();
    expect(s.landscapes.a).toEqual({ slices: saved.a.slices, queued: [] });
    expect(s.landscapes.a.slices.map((r) => [r.step, r.kinds.length, r.results.length, r.progress, r.ms])).toEqual([
      [3, 5, 5, 1, 321],
      [6, 2, 2, 1, 321],
    ]);
    expect(s.landscapes.b).toEqual({ slices: saved.b.slices, queued: [] });
    expect(s.runs.a.history.map((h) => h.cleanAcc)).toEqual([0.1]);
  });

  it('a finished landscape is saved at once; its progress saves nothing; a Restart removes the saved ones', async () => {
    const t = 0; // the clock stands still: every save that is not urgent waits
    const { store, db, p } = await page(new IDBFactory(), { now: () => t, throttleMs: 60_000 });
    const saves: number[] = [];
    const putRun = db.putRun;
    db.putRun = (r) => {
      if (r.id === 'a') saves.push((r.extras.landscapes as unknown[] | undefined)?.length ?? 0);
      return putRun(r);
    };
    train(store);
    status(store, 'a', 'done');
    saves.length = 0;
    landscape(store, 'a', 'page-1', 20, ['weight-1d'], false);
    expect(saves).toEqual([]);
    store
      .getState()
      .applyLandscapeMessages([
        { type: 'landscape-done', runId: 'a', requestId: 'page-1', results: [sampleResults()['weight-1d']], ms: 5 },
      ]);
    expect(saves).toEqual([1]);
    landscape(store, 'a', 'page-2', 20, ['sharpness']);
    expect(saves).toEqual([1, 2]);
    store.getState().clearLandscapes('a');
    expect(saves).toEqual([1, 2, 0]);
    await p.flush();
    const record = (await db.loadExperiment(store.getState().experimentId!))!.runs.find((r) => r.id === 'a')!;
    expect('landscapes' in record.extras).toBe(false);
  });

  it('drops saved landscapes that do not read, says so on the run, and restores everything else', async () => {
    const factory = new IDBFactory();
    const first = await page(factory);
    train(first.store);
    const id = first.store.getState().experimentId!;
    metrics(first.store, 'a', point(0, 0.2));
    metrics(first.store, 'b', point(0, 0.3));
    landscape(first.store, 'a', 'page-1', 2, ['weight-1d']);
    landscape(first.store, 'a', 'page-2', 4, ['weight-2d']);
    landscape(first.store, 'a', 'page-3', 6, ['sharpness']);
    status(first.store, 'a', 'done');
    status(first.store, 'b', 'done');
    await first.p.flush();
    // What an older version or an edit may have left in the database.
    const saved = (await first.db.loadExperiment(id))!;
    const [a, b] = saved.runs;
    const slices = a.extras.landscapes as Record<string, unknown>[];
    const shortRow = structuredClone(slices[1]);
    (shortRow.results as { loss: number[][] }[])[0].loss[1].pop();
    const wrongKind = { ...slices[2], kinds: ['hessian'] };
    await first.db.putRun({ ...a, extras: { landscapes: [slices[0], shortRow, wrongKind] } });
    await first.db.putRun({ ...b, extras: { landscapes: 'junk' } });

    const second = await page(factory);
    expect(await second.p.open(id)).toBe(true);
    const s = second.store.getState();
    expect(s.runs.a.history.map((h) => h.cleanAcc)).toEqual([0.2]);
    expect(s.runs.b.history.map((h) => h.cleanAcc)).toEqual([0.3]);
    expect(s.runs.a.status).toBe('done');
    expect(s.landscapes.a.slices).toEqual([slices[0]]);
    expect(s.landscapes.a.error).toBe(
      '2 saved landscapes could not be read and were dropped: landscape 2.results[0].loss[1]: must hold 2 numbers, got 1; ' +
        'landscape 3.kinds[0]: must be one of weight-1d, input-1d, weight-2d, input-2d, sharpness, duality, got "hessian"',
    );
    expect(s.landscapes.b).toEqual({
      slices: [],
      queued: [],
      error: '1 saved landscape could not be read and was dropped: the saved landscapes are not a list',
    });
  });
});

describe('opening a saved experiment reads each run', () => {
  it('a run whose history does not read opens in error naming the field, untouched in the database; the other run opens', async () => {
    const factory = new IDBFactory();
    const first = await page(factory);
    train(first.store);
    const id = first.store.getState().experimentId!;
    metrics(first.store, 'a', point(0, 0.1));
    metrics(first.store, 'a', point(10, 0.6));
    // The step-0 training loss is NaN (no step taken yet): a saved run keeps it and still reads.
    metrics(first.store, 'b', { ...point(0, 0.2), trainLoss: NaN, trainAcc: NaN });
    metrics(first.store, 'b', point(10, 0.7));
    status(first.store, 'a', 'done');
    status(first.store, 'b', 'done');
    await first.p.flush();
    const saved = (await first.db.loadExperiment(id))!;
    const a = structuredClone(saved.runs[0]);
    (a.view.history[1] as unknown as Record<string, unknown>).cleanAcc = 'high';
    await first.db.putRun(a);

    const second = await page(factory);
    expect(await second.p.open(id)).toBe(true);
    const s = second.store.getState();
    expect(s.experimentId).toBe(id);
    expect(s.runOrder).toEqual(['a', 'b']);
    expect(s.runs.b.status).toBe('done');
    expect(s.runs.b.history.map((h) => h.cleanAcc)).toEqual([0.2, 0.7]);
    expect(s.runs.b.history[0].trainLoss).toBeNaN();
    expect(s.runs.a).toMatchObject({ status: 'error', history: [], error: { kind: 'unreadable' } });
    expect(s.runs.a.error!.message).toMatch(/run "a"\.history\[1\]\.cleanAcc: must be a number/);
    await second.p.flush();
    // What did not read stays in the database as it was (a later version may read it).
    const after = (await second.db.loadExperiment(id))!;
    expect((after.runs[0].view.history[1] as unknown as Record<string, unknown>).cleanAcc).toBe('high');
  });

  it("a saved run that is not a run of the experiment's spec is left out and named in a notice", async () => {
    const factory = new IDBFactory();
    const first = await page(factory);
    train(first.store);
    const id = first.store.getState().experimentId!;
    status(first.store, 'a', 'done');
    status(first.store, 'b', 'done');
    await first.p.flush();
    const saved = (await first.db.loadExperiment(id))!;
    await first.db.putExperiment({ ...saved.experiment, runOrder: ['a', 'b', 'ghost'] });
    await first.db.putRun({ ...saved.runs[0], id: 'ghost', view: { ...saved.runs[0].view, id: 'ghost' } });

    const second = await page(factory);
    expect(await second.p.open(id)).toBe(true);
    expect(second.store.getState().runOrder).toEqual(['a', 'b']);
    expect(second.store.getState().notice).toMatch(/run "ghost" is not a run of the experiment/);
  });
});

describe('opened and imported runs have no worker', () => {
  class FakeWorker implements WorkerLike {
    sent: ToWorker[] = [];
    postMessage(m: ToWorker) {
      this.sent.push(m);
    }
    addEventListener() {}
    terminate() {}
  }

  it('an opened run cannot be sliced (no worker is asked); Restart trains it again in a new worker; Train makes every run live', async () => {
    const factory = new IDBFactory();
    const first = await page(factory);
    train(first.store);
    const id = first.store.getState().experimentId!;
    status(first.store, 'a', 'done');
    status(first.store, 'b', 'training');
    await first.p.flush();

    const second = await page(factory);
    expect(selectWeightsGone('a')(second.store.getState())).toBe(false); // nothing shown yet
    await second.p.open(id);
    const workers: FakeWorker[] = [];
    const controller = createRunController(
      second.store,
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      { announce: lifecycles.get(second.store)!.announce },
    );
    const gone = () => second.store.getState().runOrder.map((r) => selectWeightsGone(r)(second.store.getState()));
    expect(second.store.getState().runs.b.status).toBe('interrupted');
    expect(gone()).toEqual([true, true]);
    expect(controller.landscape('a')).toBe(false);
    await expect(controller.requestWeights('a')).rejects.toThrow(/only in the page that trained the run/);
    expect(workers).toHaveLength(0);

    controller.restart('b');
    expect(workers).toHaveLength(1);
    expect(workers[0].sent[0]).toMatchObject({ type: 'start', runId: 'b', spec: second.store.getState().trainedSpec });
    expect(second.store.getState().runs.b.status).toBe('queued');
    expect(gone()).toEqual([true, false]);
    // The restarted run is saved in the opened experiment at once; nothing else of it was written by opening it.
    await second.p.flush();
    const saved = await second.db.loadExperiment(id);
    expect(saved?.runs.map((r) => [r.id, r.view.status])).toEqual([
      ['a', 'done'],
      ['b', 'queued'],
    ]);

    expect(controller.train()).toBe(true);
    expect(gone()).toEqual([false, false]);
    expect(second.store.getState().experimentId).not.toBe(id);
    controller.reset();
    expect(second.store.getState().experimentId).toBeUndefined();
  });

  it('imported results are restored runs too, and a run exported before its end shows as interrupted', async () => {
    const { store, p } = await page(new IDBFactory());
    await p.showResults(
      {
        spec,
        backend: 'wasm',
        runs: [
          { id: 'a', method: 'sgd', status: 'done', history: [point(0, 0.1)], msPerStep: 1 },
          { id: 'b', method: 'sam', status: 'training', history: [point(0, 0.1)], msPerStep: 1 },
        ],
      },
      { source: 'imported', save: true },
    );
    const s = store.getState();
    expect(s.runOrder.map((r) => [s.runs[r].status, selectWeightsGone(r)(s)])).toEqual([
      ['done', true],
      ['interrupted', true],
    ]);
    expect(s.archive[0].statuses).toEqual({ a: 'done', b: 'interrupted' });
  });
});
