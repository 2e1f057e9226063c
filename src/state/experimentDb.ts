// The saved experiments, in IndexedDB (raw API, no wrapper library). Two object stores:
//   experiments  {id, name, createdAt, updatedAt, spec, runOrder, statuses}   keyed by id
//   runs         {experimentId, id, view, extras}                             keyed by [experimentId, id]
// A run record holds the whole RunView as the page had it (histories included) plus `extras`: the
// run-level data other slices keep (landscapes...), see runData.ts. IndexedDB stores structured
// clones, so typed arrays and nested objects are kept as they are.
import type { ExperimentSpec } from '../core/spec';
import type { RunStatus } from '../core/train/results';
import type { RunView } from './runView';

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

export interface ExperimentDb {
  putExperiment(record: ExperimentRecord): Promise<void>;
  putRun(record: RunRecord): Promise<void>;
  getExperiment(id: string): Promise<ExperimentRecord | undefined>;
  /** Newest first. */
  listExperiments(): Promise<ExperimentRecord[]>;
  /** The experiment and its runs, in its run order; undefined when it is not (or no longer) saved. */
  loadExperiment(id: string): Promise<{ experiment: ExperimentRecord; runs: RunRecord[] } | undefined>;
  renameExperiment(id: string, name: string): Promise<void>;
  deleteExperiment(id: string): Promise<void>;
  close(): void;
}

const DB_VERSION = 1;
const EXPERIMENTS = 'experiments';
const RUNS = 'runs';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** How long an open may take: a browser may never answer (a blocked upgrade, a stuck profile). */
export const OPEN_TIMEOUT_MS = 5000;

/**
 * Opens the database, or fails with the reason: an error, another tab blocking the upgrade, or no
 * answer within `timeoutMs` (a late answer is then closed at once).
 */
function openDb(factory: IDBFactory, name: string, timeoutMs: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new Error(`the browser's storage (IndexedDB) did not answer within ${timeoutMs / 1000} s`)),
        ),
      timeoutMs,
    );
    const open = factory.open(name, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(EXPERIMENTS)) db.createObjectStore(EXPERIMENTS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(RUNS))
        db.createObjectStore(RUNS, { keyPath: ['experimentId', 'id'] }).createIndex('experimentId', 'experimentId');
    };
    open.onblocked = () =>
      settle(() =>
        reject(new Error('another tab of the lab holds an older version of the history open: close it and reload')),
      );
    open.onerror = () => settle(() => reject(open.error ?? new Error('IndexedDB open failed')));
    open.onsuccess = () => {
      if (settled) open.result.close();
      else settle(() => resolve(open.result));
    };
  });
}

export async function openExperimentDb(
  factory: IDBFactory,
  name = 'duality-lab',
  timeoutMs = OPEN_TIMEOUT_MS,
): Promise<ExperimentDb> {
  const db = await openDb(factory, name, timeoutMs);
  // Another tab opening a newer version of the database: let it, this tab's writes then fail loudly.
  db.onversionchange = () => db.close();

  const write = async (stores: string[], work: (tx: IDBTransaction) => void) => {
    const tx = db.transaction(stores, 'readwrite');
    work(tx);
    await done(tx);
  };

  return {
    putExperiment: (record) => write([EXPERIMENTS], (tx) => tx.objectStore(EXPERIMENTS).put(record)),
    putRun: (record) => write([RUNS], (tx) => tx.objectStore(RUNS).put(record)),
    async getExperiment(id) {
      return (await request(db.transaction(EXPERIMENTS).objectStore(EXPERIMENTS).get(id))) as
        ExperimentRecord | undefined;
    },
    async listExperiments() {
      const all = (await request(db.transaction(EXPERIMENTS).objectStore(EXPERIMENTS).getAll())) as ExperimentRecord[];
      return all.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async loadExperiment(id) {
      const tx = db.transaction([EXPERIMENTS, RUNS]);
      const experiment = (await request(tx.objectStore(EXPERIMENTS).get(id))) as ExperimentRecord | undefined;
      if (!experiment) return undefined;
      const runs = (await request(tx.objectStore(RUNS).index('experimentId').getAll(id))) as RunRecord[];
      const order = new Map(experiment.runOrder.map((r, i) => [r, i]));
      return {
        experiment,
        runs: runs.filter((r) => order.has(r.id)).sort((a, b) => order.get(a.id)! - order.get(b.id)!),
      };
    },
    async renameExperiment(id, name) {
      await write([EXPERIMENTS], (tx) => {
        const store = tx.objectStore(EXPERIMENTS);
        const get = store.get(id);
        get.onsuccess = () => {
          if (get.result) store.put({ ...get.result, name });
        };
      });
    },
    async deleteExperiment(id) {
      await write([EXPERIMENTS, RUNS], (tx) => {
        tx.objectStore(EXPERIMENTS).delete(id);
        tx.objectStore(RUNS).delete(IDBKeyRange.bound([id], [id, []]));
      });
    },
    close: () => db.close(),
  };
}
