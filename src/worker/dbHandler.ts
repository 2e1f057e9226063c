// The history database's worker handler: opens the store when asked and answers each call in the
// order the calls came (IndexedDB keeps that order for transactions on the same stores). The
// IndexedDB factory comes in from outside, so the handler runs in a browser worker and, in tests,
// in Node on fake-indexeddb.
import type { DbReply, DbRequest } from './dbProtocol';
import { openExperimentStore, type ExperimentStore, type StoredExperiment, type StoredRun } from './experimentStore';

export interface DbEndpoint {
  postMessage(message: DbReply): void;
  addEventListener(type: 'message', listener: (event: { data: DbRequest }) => void): void;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function attachDbHandler(endpoint: DbEndpoint, factory: IDBFactory): void {
  let store: Promise<ExperimentStore<StoredExperiment, StoredRun>> | undefined;
  endpoint.addEventListener('message', ({ data }) => {
    const { id } = data;
    const answer = (work: () => Promise<unknown>) =>
      void work().then(
        (value) => endpoint.postMessage({ id, ok: true, value }),
        (e: unknown) => endpoint.postMessage({ id, ok: false, message: reason(e) }),
      );
    switch (data.type) {
      case 'open':
        store ??= openExperimentStore(factory, data.name, data.timeoutMs);
        return answer(async () => void (await store));
      case 'call':
        return answer(async () => {
          if (!store) throw new Error('the history database was not opened');
          const s = await store;
          const method = s[data.method] as (...args: unknown[]) => Promise<unknown>;
          return method(...data.args);
        });
      default: {
        const unknown: never = data;
        throw new Error(`unknown request ${JSON.stringify(unknown)}`);
      }
    }
  });
}
