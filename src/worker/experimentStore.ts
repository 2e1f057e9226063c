// The saved experiments, in IndexedDB (raw API, no wrapper library). Two object stores:
//   experiments  {id, name, createdAt, updatedAt, spec, runOrder, statuses}   keyed by id
//   runs         {experimentId, id, view, extras}                             keyed by [experimentId, id]
// IndexedDB stores structured clones, so typed arrays and nested objects are kept as they are.
// The page opens it in a worker (dbWorker.ts): a put's clone into IndexedDB took 10-100 ms of the
// page's main thread while runs trained on two cores (more for a run holding duality images), which
// no batching made short enough. The store knows only the keys; what a record holds is the page's
// (state/experimentDb.ts), so it is generic here.

export interface StoredExperiment {
  id: string;
  updatedAt: number;
  runOrder: string[];
}

export interface StoredRun {
  experimentId: string;
  id: string;
}

export interface ExperimentStore<E extends StoredExperiment, R extends StoredRun> {
  putExperiment(record: E): Promise<void>;
  /**
   * `kept`: extras keys (R's `extras`) the page sent before and left out this time because they did
   * not change; they are taken from the saved record (a run's landscapes are cloned once, not at
   * every progress save).
   */
  putRun(record: R, kept?: string[]): Promise<void>;
  getExperiment(id: string): Promise<E | undefined>;
  /** Newest first. */
  listExperiments(): Promise<E[]>;
  /** The experiment and its runs, in its run order; undefined when it is not (or no longer) saved. */
  loadExperiment(id: string): Promise<{ experiment: E; runs: R[] } | undefined>;
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

/** The error of an open that got no answer in time. */
export const noAnswer = (timeoutMs: number) =>
  new Error(`the browser's storage (IndexedDB) did not answer within ${timeoutMs / 1000} s`);

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
    const timer = setTimeout(() => settle(() => reject(noAnswer(timeoutMs))), timeoutMs);
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

export async function openExperimentStore<E extends StoredExperiment, R extends StoredRun>(
  factory: IDBFactory,
  name = 'duality-lab',
  timeoutMs = OPEN_TIMEOUT_MS,
): Promise<ExperimentStore<E, R>> {
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
    putRun: (record, kept = []) =>
      write([RUNS], (tx) => {
        const runs = tx.objectStore(RUNS);
        if (kept.length === 0) return void runs.put(record);
        const get = runs.get([record.experimentId, record.id]);
        get.onsuccess = () => {
          const saved = (get.result as { extras?: Record<string, unknown> } | undefined)?.extras ?? {};
          const extras = (record as { extras?: Record<string, unknown> }).extras ?? {};
          runs.put({
            ...record,
            extras: { ...Object.fromEntries(kept.filter((k) => k in saved).map((k) => [k, saved[k]])), ...extras },
          });
        };
      }),
    async getExperiment(id) {
      return (await request(db.transaction(EXPERIMENTS).objectStore(EXPERIMENTS).get(id))) as E | undefined;
    },
    async listExperiments() {
      const all = (await request(db.transaction(EXPERIMENTS).objectStore(EXPERIMENTS).getAll())) as E[];
      return all.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async loadExperiment(id) {
      const tx = db.transaction([EXPERIMENTS, RUNS]);
      const experiment = (await request(tx.objectStore(EXPERIMENTS).get(id))) as E | undefined;
      if (!experiment) return undefined;
      const runs = (await request(tx.objectStore(RUNS).index('experimentId').getAll(id))) as R[];
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
