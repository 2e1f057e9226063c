import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLifecycleAnnouncements, type LifecycleAnnouncements } from '../core/run/lifecycle';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import type { Results } from '../core/train/results';
import { startArchive } from './archiveStartup';
import { openExperimentDb, type ExperimentDb } from './experimentDb';
import { createLabStore, type LabStore } from './labStore';

/** A browser whose IndexedDB open never answers, or answers "blocked" (another tab on an older version). */
function stuckFactory(blocked = false): IDBFactory {
  return {
    open() {
      const req = {} as IDBOpenDBRequest;
      if (blocked) queueMicrotask(() => req.onblocked?.(new Event('blocked') as IDBVersionChangeEvent));
      return req;
    },
  } as unknown as IDBFactory;
}

const results: Results = {
  spec: { ...structuredClone(DEFAULT_SPEC), runs: [{ id: 'sgd', method: 'sgd' }] },
  backend: 'wasm',
  runs: [
    {
      id: 'sgd',
      method: 'sgd',
      status: 'done',
      msPerStep: 1,
      history: [{ epoch: 1, step: 5, trainLoss: 1, trainAcc: 0.5, cleanAcc: 0.5, robust: {} }],
    },
  ],
};

afterEach(() => void vi.useRealTimers());

describe('opening the history store', () => {
  it('gives up on an open that never answers, and on one blocked by another tab, with the reason', async () => {
    vi.useFakeTimers();
    const never = openExperimentDb(stuckFactory(), 'x', 5000);
    const caught = never.catch((e: Error) => e.message);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await caught).toBe("the browser's storage (IndexedDB) did not answer within 5 s");
    vi.useRealTimers();
    await expect(openExperimentDb(stuckFactory(true), 'x')).rejects.toThrow(
      /another tab of the lab holds an older version/,
    );
    await expect(openExperimentDb(new IDBFactory(), 'x')).resolves.toBeDefined();
  });

  it("says so in the history panel and still shows a link's results for the session", async () => {
    vi.useFakeTimers();
    const store = createLabStore({ spec: DEFAULT_SPEC });
    const started = startArchive(
      store,
      { spec: results.spec, found: true, results, message: null },
      { openDb: (ms) => openExperimentDb(stuckFactory(), 'x', ms), sessionStorage: undefined, openTimeoutMs: 5000 },
    );
    await vi.advanceTimersByTimeAsync(5000);
    expect(await started).toBeUndefined();
    const s = store.getState();
    expect(s.archiveError).toMatch(
      /^The history of experiments cannot be opened \(the browser's storage \(IndexedDB\) did not answer within 5 s\): nothing is kept/,
    );
    expect(s.runOrder).toEqual(['sgd']);
    expect(s.runs.sgd.status).toBe('done');
    expect(s.runs.sgd.history).toEqual(results.runs[0].history);
  });
});

describe('a reload of the tab', () => {
  const trainSpec: ExperimentSpec = { ...structuredClone(DEFAULT_SPEC), runs: [{ id: 'sgd', method: 'sgd' }] };
  const link = { spec: trainSpec, found: false, message: null };

  it("shows the tab's experiment again; a Train clicked while the database opens is neither covered nor lost", async () => {
    const factory = new IDBFactory();
    const kept = new Map<string, string>();
    const sessionStorage = {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
      removeItem: (k: string) => void kept.delete(k),
    };
    const open = async (store: LabStore, openDb: () => Promise<ExperimentDb>) => {
      const announcements = createLifecycleAnnouncements();
      const started = startArchive(store, link, { openDb, sessionStorage, announcements });
      return { announcements, started };
    };
    const train = (store: LabStore, announcements: LifecycleAnnouncements) => {
      store.getState().resetRuns(trainSpec);
      announcements.announce({ type: 'experimentStarted' });
    };

    // The first page trains; the tab is reloaded mid-way.
    const first = createLabStore({ spec: trainSpec });
    const firstPage = await open(first, () => openExperimentDb(factory));
    const firstArchive = await firstPage.started;
    train(first, firstPage.announcements);
    const firstId = first.getState().experimentId;
    expect(firstId).toBeDefined();
    await firstArchive!.flush();
    firstArchive!.detach();

    // Nothing clicked: the reload shows it again, its unfinished run interrupted.
    const idle = createLabStore({ spec: trainSpec });
    const idleArchive = await (await open(idle, () => openExperimentDb(factory))).started;
    expect(idle.getState().experimentId).toBe(firstId);
    expect(idle.getState().runs.sgd.status).toBe('interrupted');
    idleArchive!.detach();

    // Train clicked before the database has opened: the new runs stay, and are saved as a new experiment.
    let letOpen!: () => void;
    const gate = new Promise<void>((resolve) => (letOpen = resolve));
    const busy = createLabStore({ spec: trainSpec });
    const busyPage = await open(busy, async () => {
      await gate;
      return openExperimentDb(factory);
    });
    train(busy, busyPage.announcements);
    letOpen();
    const busyArchive = await busyPage.started;
    const s = busy.getState();
    expect(s.runs.sgd.status).toBe('queued');
    expect(s.experimentId).toBeDefined();
    expect(s.experimentId).not.toBe(firstId);
    await busyArchive!.flush();
    await busyArchive!.refreshList();
    expect(
      busy
        .getState()
        .archive.map((e) => e.id)
        .sort(),
    ).toEqual([firstId, s.experimentId].sort());
    expect(kept.get('duality-lab.shown-experiment')).toBe(s.experimentId);
    busyArchive!.detach();
  });
});
