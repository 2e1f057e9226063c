import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../core/spec';
import { attachDbHandler } from '../worker/dbHandler';
import type { DbReply, DbRequest } from '../worker/dbProtocol';
import { workerExperimentDb, type DbWorker, type ExperimentRecord, type RunRecord } from './experimentDb';
import { newRunView } from './runView';

/**
 * The db worker's handler behind a fake worker: messages cross as structured clones, a task later,
 * as between the page and a worker. `fail` fires the worker's error event (its script died).
 */
function fakeDbWorker(factory: IDBFactory) {
  const toPage: ((e: { data: DbReply }) => void)[] = [];
  const onError: ((e: { message?: string }) => void)[] = [];
  const toWorker: ((e: { data: DbRequest }) => void)[] = [];
  let terminated = false;
  attachDbHandler(
    {
      postMessage: (m) => setTimeout(() => !terminated && toPage.forEach((l) => l({ data: structuredClone(m) }))),
      addEventListener: (_t, l) => toWorker.push(l),
    },
    factory,
  );
  const worker = {
    postMessage: (m: DbRequest) => setTimeout(() => toWorker.forEach((l) => l({ data: structuredClone(m) }))),
    addEventListener: (type: 'message' | 'error', l: never) => (type === 'message' ? toPage : onError).push(l),
    terminate: () => void (terminated = true),
  } as unknown as DbWorker;
  return { worker, fail: (message: string) => onError.forEach((l) => l({ message })), isTerminated: () => terminated };
}

const experiment = (id: string, updatedAt: number): ExperimentRecord => ({
  id,
  name: id,
  createdAt: updatedAt,
  updatedAt,
  spec: structuredClone(DEFAULT_SPEC),
  runOrder: ['sgd', 'sam'],
  statuses: { sgd: 'done', sam: 'training' },
  source: 'trained',
});

const run = (experimentId: string, id: string): RunRecord => ({
  experimentId,
  id,
  view: newRunView({ id, method: 'sgd' }),
  extras: { duality: new Float32Array([1, 2.5, -3]) },
});

describe('the history database in its worker', () => {
  it('saves and reads back experiments and runs (typed arrays intact), newest first, in run order', async () => {
    const { worker } = fakeDbWorker(new IDBFactory());
    const db = await workerExperimentDb(worker, 'lab');
    await db.putExperiment(experiment('old', 1));
    await db.putExperiment(experiment('new', 2));
    await Promise.all([db.putRun(run('new', 'sam')), db.putRun(run('new', 'sgd')), db.putRun(run('old', 'sgd'))]);
    expect((await db.listExperiments()).map((e) => e.id)).toEqual(['new', 'old']);
    const loaded = await db.loadExperiment('new');
    expect(loaded?.runs.map((r) => r.id)).toEqual(['sgd', 'sam']);
    expect(loaded?.runs[0].extras.duality).toEqual(new Float32Array([1, 2.5, -3]));
    await db.renameExperiment('new', 'renamed');
    expect((await db.getExperiment('new'))?.name).toBe('renamed');
    await db.deleteExperiment('new');
    expect(await db.loadExperiment('new')).toBeUndefined();
    expect((await db.listExperiments()).map((e) => e.id)).toEqual(['old']);
  });

  it('answers calls in the order they were made: the last put of a run is the one kept', async () => {
    const { worker } = fakeDbWorker(new IDBFactory());
    const db = await workerExperimentDb(worker, 'lab');
    await db.putExperiment(experiment('e', 1));
    const puts = [1, 2, 3, 4, 5].map((step) => {
      const r = run('e', 'sgd');
      r.view = { ...r.view, step };
      return db.putRun(r);
    });
    await Promise.all(puts);
    expect((await db.loadExperiment('e'))?.runs[0].view.step).toBe(5);
  });

  it('sends a run part that did not change once: later saves leave it out and the saved record keeps it', async () => {
    const { worker } = fakeDbWorker(new IDBFactory());
    const sentExtras: unknown[] = [];
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (m: DbRequest) => {
      if (m.type === 'call' && m.method === 'putRun') sentExtras.push(Object.keys((m.args[0] as RunRecord).extras));
      post(m);
    };
    const db = await workerExperimentDb(worker, 'lab');
    await db.putExperiment(experiment('e', 1));
    const first = run('e', 'sgd');
    await db.putRun(first);
    await db.putRun({ ...first, view: { ...first.view, step: 7 } });
    const changed = { duality: new Float32Array([4]) };
    await db.putRun({ ...first, view: { ...first.view, step: 8 }, extras: changed });
    expect(sentExtras).toEqual([['duality'], [], ['duality']]);
    const saved = (await db.loadExperiment('e'))!.runs[0];
    expect(saved.view.step).toBe(8);
    expect(saved.extras.duality).toEqual(new Float32Array([4]));
    await db.putRun({ ...first, view: { ...first.view, step: 9 }, extras: changed });
    expect((await db.loadExperiment('e'))!.runs[0].extras.duality, 'kept from the saved record').toEqual(
      new Float32Array([4]),
    );
  });

  it("fails the open with the store's reason, and ends the worker", async () => {
    const blocked = {
      open() {
        const req = {} as IDBOpenDBRequest;
        queueMicrotask(() => req.onblocked?.(new Event('blocked') as IDBVersionChangeEvent));
        return req;
      },
    } as unknown as IDBFactory;
    const fake = fakeDbWorker(blocked);
    await expect(workerExperimentDb(fake.worker, 'lab')).rejects.toThrow(/another tab of the lab/);
    expect(fake.isTerminated()).toBe(true);
  });

  it('fails the calls waiting and those made later once the worker itself fails', async () => {
    const fake = fakeDbWorker(new IDBFactory());
    const db = await workerExperimentDb(fake.worker, 'lab');
    const waiting = db.listExperiments();
    fake.fail('out of memory');
    await expect(waiting).rejects.toThrow(/history database's worker failed: out of memory/);
    await expect(db.putExperiment(experiment('e', 1))).rejects.toThrow(/worker failed/);
  });
});
