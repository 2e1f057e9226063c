// The history database's worker (dbWorker.ts), message by message. The page opens the store once,
// then calls its methods by name; each answer carries the call's id and its value or the reason it
// failed. Types only: the page and the worker share nothing else.
import type { ExperimentStore, StoredExperiment, StoredRun } from './experimentStore';

/** The store's methods the page may call (close ends the worker instead). */
export type DbMethod = Exclude<keyof ExperimentStore<StoredExperiment, StoredRun>, 'close'>;

export type DbRequest =
  | { type: 'open'; id: number; name?: string; timeoutMs?: number }
  | { type: 'call'; id: number; method: DbMethod; args: unknown[] };

export type DbReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; message: string };
