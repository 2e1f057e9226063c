// The data a run worker holds: one split per dataset and seed, read by every run it hosts (nothing
// writes to a dataset). The first of its runs to start loads it, or brings it (a copy or the shared
// split handed over by another worker, ?workers=N); a run asked to hand the data to other workers
// (shareData) posts it to the page, and where the page is cross-origin isolated the shared split
// is the one kept here, so the worker holds one copy however many runs read it.
import type { DatasetSplit } from '../core/data/dataset';
import type { ExperimentSpec } from '../core/spec';
import { packSplit, shareSplit, splitBuffers } from './dataTransfer';
import type { FromWorker, StartMessage } from './protocol';
import type { HandlerDeps } from './runSession';

type LoadData = HandlerDeps['loadData'];

export interface SplitCache {
  /** The loadData of one run's session: the split kept here, else the one its start brings, else a load. */
  forRun(start: StartMessage): LoadData;
}

export function createSplitCache(
  load: LoadData,
  sharedMemory: boolean,
  post: (message: FromWorker, transfer?: Transferable[]) => void,
): SplitCache {
  const splits = new Map<string, Promise<DatasetSplit>>();

  /**
   * Gives the page the data for `count` runs in other workers and returns the split to keep: the
   * shared one (one copy in all), or the loaded one after `count` copies made here and transferred
   * (the page's main thread never copies the data itself).
   */
  function handOver(runId: string, loaded: DatasetSplit, count: number): DatasetSplit {
    if (sharedMemory) {
      const shared = shareSplit(loaded);
      post({ type: 'data-ready', runId, data: shared, shared: true });
      return shared;
    }
    for (let i = 0; i < count; i++) {
      const copy = packSplit(loaded);
      post({ type: 'data-ready', runId, data: copy, shared: false }, splitBuffers(copy));
    }
    return loaded;
  }

  return {
    forRun(start) {
      return (spec: ExperimentSpec, onProgress) => {
        const key = JSON.stringify([spec.dataset, spec.seed]);
        let split = splits.get(key) ?? (start.data ? Promise.resolve(start.data) : load(spec, onProgress));
        const count = start.shareData;
        if (count) split = split.then((s) => handOver(start.runId, s, count));
        splits.set(key, split);
        // A failed load is tried again by the next run rather than remembered.
        split.catch(() => {
          if (splits.get(key) === split) splits.delete(key);
        });
        return split;
      };
    },
  };
}
