import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SPEC } from '../core/spec';
import type { Results } from '../core/train/results';
import { startArchive } from './archiveStartup';
import { openExperimentDb } from './experimentDb';
import { createLabStore } from './labStore';

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
