// The saved experiments as the page sees them: what a record holds, and the database in a worker
// (worker/experimentStore.ts keeps it in IndexedDB; worker/dbWorker.ts, off the main thread). A run
// record holds the whole RunView as the page had it (histories included) plus `extras`: the
// run-level data other slices keep (landscapes...), see runData.ts.
import type { ExperimentSpec } from '../core/spec';
import type { RunStatus } from '../core/train/results';
import type { DbMethod, DbReply, DbRequest } from '../worker/dbProtocol';
import { noAnswer, OPEN_TIMEOUT_MS, openExperimentStore, type ExperimentStore } from '../worker/experimentStore';
import type { RunView } from './runView';
import type { WorkerClient } from './workerClient';

export interface ExperimentRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** The spec the runs were trained with. */
  spec: ExperimentSpec;
  runOrder: string[];
  /** Each run's last saved status, for the history list (the runs themselves are read on open). */
  statuses: Record<string, RunStatus>;
  source: 'trained' | 'imported' | 'link';
}

export interface RunRecord {
  experimentId: string;
  id: string;
  view: RunView;
  extras: Record<string, unknown>;
}

export type ExperimentDb = ExperimentStore<ExperimentRecord, RunRecord>;

/** The database on this thread (tests, Node); the page uses workerExperimentDb. */
export const openExperimentDb = (factory: IDBFactory, name?: string, timeoutMs?: number): Promise<ExperimentDb> =>
  openExperimentStore<ExperimentRecord, RunRecord>(factory, name, timeoutMs);

export type DbWorker = WorkerClient<DbRequest, DbReply>;

/** A request before it is given its id. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The database in its worker: each method posts its call and resolves with the worker's answer.
 * Opening fails with the worker's reason (IndexedDB blocked, or not answering), and every call
 * waiting or made later fails once the worker itself fails. close() ends the worker.
 */
export async function workerExperimentDb(
  worker: DbWorker,
  name?: string,
  timeoutMs = OPEN_TIMEOUT_MS,
): Promise<ExperimentDb> {
  let nextId = 0;
  let failed: string | undefined;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  worker.addEventListener('message', ({ data }) => {
    const w = waiting.get(data.id);
    if (!w) return;
    waiting.delete(data.id);
    if (data.ok) w.resolve(data.value);
    else w.reject(new Error(data.message));
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault?.();
    failed = `the history database's worker failed${event.message ? `: ${event.message}` : ''}`;
    for (const w of waiting.values()) w.reject(new Error(failed));
    waiting.clear();
  });
  // Each request is posted in a task of its own, in order, after the caller's task: the structured
  // clone of a run record (5-30 ms with its duality images) then never lengthens the message flush
  // that saved it (the page's 50 ms budget for its own tasks).
  const outbox: DbRequest[] = [];
  const drain = () => {
    const next = outbox.shift();
    if (next) worker.postMessage(next);
    if (outbox.length > 0) setTimeout(drain, 0);
  };
  const ask = (request: Unsent<DbRequest>) =>
    new Promise<unknown>((resolve, reject) => {
      if (failed !== undefined) return reject(new Error(failed));
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      outbox.push({ ...request, id } as DbRequest);
      if (outbox.length === 1) setTimeout(drain, 0);
    });
  const call =
    <T>(method: DbMethod) =>
    (...args: unknown[]) =>
      ask({ type: 'call', method, args }) as Promise<T>;
  // The worker's own open gives up after timeoutMs; this one also covers a worker that never starts.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(noAnswer(timeoutMs)), timeoutMs + 1000);
  });
  try {
    await Promise.race([ask({ type: 'open', name, timeoutMs }), late]);
  } catch (e) {
    worker.terminate();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  /** Per run (experimentId/id), the extras last sent: a part that is the same object is not cloned again. */
  const sent = new Map<string, Record<string, unknown>>();
  const putRun = (record: RunRecord) => {
    const key = `${record.experimentId}/${record.id}`;
    const last = sent.get(key);
    const kept = last ? Object.keys(record.extras).filter((k) => record.extras[k] === last[k]) : [];
    sent.set(key, record.extras);
    const extras = Object.fromEntries(Object.entries(record.extras).filter(([k]) => !kept.includes(k)));
    return (ask({ type: 'call', method: 'putRun', args: [{ ...record, extras }, kept] }) as Promise<void>).catch(
      (e: unknown) => {
        sent.delete(key); // not written: the next save sends everything
        throw e;
      },
    );
  };
  const deleteExperiment = (id: string) => {
    for (const key of sent.keys()) if (key.startsWith(`${id}/`)) sent.delete(key);
    return call<void>('deleteExperiment')(id);
  };
  return {
    putExperiment: call('putExperiment'),
    putRun,
    getExperiment: call('getExperiment'),
    listExperiments: call('listExperiments'),
    loadExperiment: call('loadExperiment'),
    renameExperiment: call('renameExperiment'),
    deleteExperiment,
    close: () => {
      for (const r of outbox.splice(0)) worker.postMessage(r);
      worker.terminate();
    },
  };
}
