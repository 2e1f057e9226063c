import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import type { HistoryPoint } from '../core/train/results';
import { openExperimentDb, type ExperimentDb } from './experimentDb';
import { createLabStore, type LabStore } from './labStore';
import { attachPersistence, type Persistence } from './persistence';
import type { RunDataPart } from './runData';

const spec: ExperimentSpec = { ...structuredClone(DEFAULT_SPEC), runs: [{ id: 'a', method: 'sgd' }, { id: 'b', method: 'sam', rho: 0.05 }] };
const point = (step: number, cleanAcc: number): HistoryPoint => ({ epoch: step / 10, step, trainLoss: 1 / (step + 1), trainAcc: 0.5, cleanAcc, robust: {} });

const opened: { db: ExperimentDb; p: Persistence }[] = [];
afterEach(() => {
  for (const { db, p } of opened.splice(0)) {
    p.detach();
    db.close();
  }
});

/** One "page": a store and its persistence over a database that outlives it (the browser's). */
async function page(factory: IDBFactory, options: Parameters<typeof attachPersistence>[2] = {}): Promise<{ store: LabStore; p: Persistence; db: ExperimentDb }> {
  const store = createLabStore({ spec });
  const db = await openExperimentDb(factory);
  const p = attachPersistence(store, db, options);
  opened.push({ db, p });
  return { store, p, db };
}

/** What the run controller does when Train is pressed, and the messages of a worker. */
function train(store: LabStore) {
  store.getState().resetRuns(store.getState().spec);
}
const status = (store: LabStore, runId: string, s: 'training' | 'done') => store.getState().applyWorkerMessages([{ type: 'status', runId, status: s, backend: 'wasm' }]);
const metrics = (store: LabStore, runId: string, p: HistoryPoint) => store.getState().applyWorkerMessages([{ type: 'metrics', runId, point: p }]);
const progress = (store: LabStore, runId: string, step: number) =>
  store.getState().applyWorkerMessages([{ type: 'progress', runId, step, totalSteps: 20, epoch: step / 10, loss: 1, acc: 0.5, imagesPerSec: 100 }]);

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
    const part: RunDataPart = { key: 'note', read: (_s, id) => extra.get(id), restore: (_s, id, v) => (extra.set(id, v), {}) };
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
    store.getState().resetRuns(undefined);
    expect(store.getState().experimentId).toBeUndefined();
    await p.flush();
    await p.refreshList();
    expect(store.getState().archive).toHaveLength(2);
  });
});
