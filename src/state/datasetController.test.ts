import { describe, expect, it } from 'vitest';
import type { ImportReply, ImportRequest } from '../worker/importProtocol';
import { createDatasetController } from './datasetController';
import type { DatasetState } from './datasetStatus';
import { createLabStore } from './labStore';
import type { WorkerClient } from './workerClient';

class FakeImportWorker implements WorkerClient<ImportRequest, ImportReply> {
  sent: ImportRequest[] = [];
  terminated = false;
  private listeners: Record<string, ((e: never) => void)[]> = {};
  postMessage(m: ImportRequest) {
    this.sent.push(m);
  }
  addEventListener(type: string, l: (e: never) => void) {
    (this.listeners[type] ??= []).push(l);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: ImportReply) {
    for (const l of this.listeners.message ?? []) l({ data } as never);
  }
  crash(message: string) {
    for (const l of this.listeners.error ?? []) l({ message } as never);
  }
}

const file = (name: string, size: number) => ({ name, size }) as File;
const ready = (cifar10: boolean) =>
  ({ cifar10: cifar10 ? { ready: true } : { ready: false, reason: 'not prepared' } }) as Record<string, DatasetState>;

describe('dataset controller', () => {
  it('imports one drop at a time in its own worker, reports each step, and reads the datasets again when done', async () => {
    const store = createLabStore();
    const workers: FakeImportWorker[] = [];
    let statusReads = 0;
    const c = createDatasetController(store, {
      createWorker: () => (workers.push(new FakeImportWorker()), workers.at(-1)!),
      status: async () => (statusReads++, ready(true) as never),
    });
    expect(c.importFiles([])).toBe(false);
    expect(c.importFiles([file('cifar-10-binary.tar.gz', 1000)])).toBe(true);
    expect(c.importFiles([file('other.gz', 10)])).toBe(false); // one at a time
    expect(store.getState().datasetImport).toEqual({ phase: 'working', step: 'starting', loaded: 0, total: 1000 });
    workers[0].reply({ type: 'step', step: 'parsing', loaded: 1000, total: 1000 });
    expect(store.getState().datasetImport).toMatchObject({ phase: 'working', step: 'parsing' });
    workers[0].reply({ type: 'done', dataset: 'cifar10', train: 50000, test: 10000 });
    expect(store.getState().datasetImport).toEqual({
      phase: 'done',
      message: 'CIFAR-10 is ready (50,000 training / 10,000 test images), kept in this browser',
    });
    expect(workers[0].terminated).toBe(true);
    await Promise.resolve();
    expect(statusReads).toBe(1);
    // A failed worker stores nothing and frees the controller for the next drop.
    expect(c.importFiles([file('x.gz', 1)])).toBe(true);
    workers[1].crash('out of memory');
    expect(store.getState().datasetImport).toEqual({
      phase: 'error',
      message: 'the import worker failed: out of memory',
    });
    expect(c.importFiles([file('x.gz', 1)])).toBe(true);
  });
});
