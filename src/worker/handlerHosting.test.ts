// One run worker hosting several runs (handler.ts): each run trains as it would alone, the data is
// loaded once for all of them, and a run let go of ('dispose') stops, frees its tensors and says
// nothing more while the others go on; its id may then start again in the same worker.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { DatasetSplit } from '../core/data/dataset';
import type { ExperimentSpec } from '../core/spec';
import { blobSplit, tinySpec } from '../core/train/testFixtures';
import type { HandlerDeps } from './handler';
import { useHandlerChannels } from './handlerChannel.testing';
import { PROTOCOL_VERSION, type FromWorker, type StartMessage, type ToWorker } from './protocol';

// Two runs of 12 steps each (96 images in batches of 16, 2 epochs) of a tiny CNN on the cpu backend.
const spec: ExperimentSpec = tinySpec(
  { name: 'cnn', width: 4, depth: 1 },
  [
    { id: 'sgd', method: 'sgd' },
    { id: 'sam', method: 'sam', rho: 0.05 },
  ],
  { epochs: 2 },
);
const data: DatasetSplit = blobSplit('image');
const openHandlerChannel = useHandlerChannels();

function worker(deps: Partial<HandlerDeps> = {}) {
  const h = openHandlerChannel({ initBackend: async () => 'cpu', loadData: async () => data, ...deps });
  return { received: h.received, send: (m: unknown) => h.send(m), next: h.waitFor };
}
const start = (runId: string): StartMessage => ({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId, spec });
const of = (msgs: FromWorker[], runId: string) => msgs.filter((m) => m.runId === runId);
/** Every step's loss and the run's history: equal lists mean the same training. */
const losses = (msgs: FromWorker[]) =>
  msgs.flatMap((m): unknown[] => (m.type === 'progress' ? [m.loss] : m.type === 'done' ? [m.result.history] : []));
const done = (runId: string) => (m: FromWorker) => m.type === 'done' && m.runId === runId;

describe('a run worker hosting several runs', () => {
  it('trains each run as it would alone, on one load of the data', async () => {
    const alone = new Map<string, FromWorker[]>();
    for (const id of ['sgd', 'sam']) {
      const w = worker();
      w.send(start(id));
      await w.next(done(id));
      alone.set(id, w.received);
      w.send({ type: 'dispose', runId: id } satisfies ToWorker);
      await w.next((m) => m.type === 'disposed');
    }
    const before = tf.memory().numTensors;

    let loads = 0;
    const both = worker({ loadData: async () => (loads++, data) });
    both.send(start('sgd'));
    both.send(start('sam'));
    await Promise.all([both.next(done('sgd')), both.next(done('sam'))]);
    expect(loads).toBe(1);
    for (const id of ['sgd', 'sam']) {
      expect(losses(of(both.received, id))).toEqual(losses(alone.get(id)!));
      expect(losses(of(both.received, id)).length).toBe(13);
    }
    for (const id of ['sgd', 'sam']) both.send({ type: 'dispose', runId: id } satisfies ToWorker);
    await vi.waitFor(() => expect(tf.memory().numTensors).toBe(before), { timeout: 5000 });
  });

  it('a run let go of mid-training stops, frees its tensors and says nothing more; the other trains on, and the id starts again', async () => {
    const before = tf.memory().numTensors;
    const w = worker();
    w.send(start('sgd'));
    w.send(start('sam'));
    await w.next((m) => m.type === 'progress' && m.runId === 'sam' && m.step === 2);
    w.send({ type: 'dispose', runId: 'sam' } satisfies ToWorker);
    const disposed = await w.next((m) => m.type === 'disposed' && m.runId === 'sam');
    await w.next(done('sgd'));
    const after = w.received.slice(w.received.indexOf(disposed) + 1);
    expect(of(after, 'sam')).toEqual([]);
    expect(of(w.received, 'sam').some((m) => m.type === 'done')).toBe(false);
    expect(of(w.received, 'sgd').filter((m) => m.type === 'progress')).toHaveLength(12);

    // The same id in the same worker: a new session, trained from the start.
    w.send(start('sam'));
    await w.next(done('sam'));
    const again = w.received.slice(w.received.indexOf(disposed) + 1);
    expect(of(again, 'sam').flatMap((m) => (m.type === 'progress' ? [m.step] : []))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    for (const id of ['sgd', 'sam']) w.send({ type: 'dispose', runId: id } satisfies ToWorker);
    await vi.waitFor(() => expect(tf.memory().numTensors).toBe(before), { timeout: 5000 });
  });

  it('answers what is not a run message with an error, drops messages for a run it does not host, and answers dispose of one', async () => {
    const w = worker();
    w.send('hello');
    expect(await w.next((m) => m.type === 'error')).toMatchObject({ runId: '', kind: 'protocol' });
    w.send({ type: 'pause', runId: 'nobody' });
    w.send({ type: 'dispose', runId: 'nobody' });
    expect(await w.next((m) => m.type === 'disposed')).toEqual({ type: 'disposed', runId: 'nobody' });
    expect(w.received.filter((m) => m.runId === 'nobody')).toEqual([{ type: 'disposed', runId: 'nobody' }]);
  });

  it('keeps the split it moved into shared memory, and the one another worker handed it, for every later run', async () => {
    let loads = 0;
    const loadData = async () => (loads++, data);
    const source = worker({ loadData, sharedMemory: true });
    source.send({ ...start('sgd'), shareData: 2 });
    const ready = await source.next((m) => m.type === 'data-ready');
    if (ready.type !== 'data-ready') throw new Error('no data-ready');
    expect(ready.shared).toBe(true);
    source.send(start('sam')); // no data given: it reads the shared split kept here
    await Promise.all([source.next(done('sgd')), source.next(done('sam'))]);
    expect(loads).toBe(1);

    // A second worker handed the shared split keeps it for its next run too, and trains the same.
    const other = worker({ loadData, sharedMemory: true });
    other.send({ ...start('sgd'), data: ready.data });
    other.send(start('sam'));
    await Promise.all([other.next(done('sgd')), other.next(done('sam'))]);
    expect(loads).toBe(1);
    for (const id of ['sgd', 'sam']) expect(losses(of(other.received, id))).toEqual(losses(of(source.received, id)));
  });

  it('a failed data load is tried again by the next run rather than remembered', async () => {
    let loads = 0;
    const w = worker({
      loadData: async () => {
        if (++loads === 1) throw new Error('network down');
        return data;
      },
    });
    w.send(start('sgd'));
    expect(await w.next((m) => m.type === 'error')).toMatchObject({ runId: 'sgd', message: 'network down' });
    w.send(start('sam'));
    await w.next(done('sam'));
    expect(loads).toBe(2);
  });
});
