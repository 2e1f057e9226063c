// Page start-up of the saved experiments: opens the database, shows what the link carries or, on a
// reload of the same tab, the experiment the tab was showing (its id is kept in sessionStorage, so
// a new tab starts clean and finds past experiments in the history list).
import type { LabStore } from './labStore';
import { openExperimentDb } from './experimentDb';
import { attachPersistence, type Persistence } from './persistence';
import type { LinkContents } from './shareLink';

const SHOWN_KEY = 'duality-lab.shown-experiment';

export interface ArchiveEnv {
  indexedDB: IDBFactory | undefined;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  /** Registers a callback for the page going away (pagehide): throttled saves are written then. */
  onPageHide?(callback: () => void): void;
}

export async function startArchive(store: LabStore, link: LinkContents, env: ArchiveEnv): Promise<Persistence | undefined> {
  if (link.results) {
    // The link's results are shown at once, even where nothing can be saved.
    store.getState().setSpec(link.spec);
  }
  if (!env.indexedDB) {
    store.getState().setArchiveError('This browser keeps no history here (IndexedDB is unavailable): export your results to keep them.');
    return undefined;
  }
  let persistence: Persistence;
  try {
    persistence = attachPersistence(store, await openExperimentDb(env.indexedDB));
  } catch (e) {
    store.getState().setArchiveError(`The history of experiments cannot be opened: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  const shown = env.sessionStorage?.getItem(SHOWN_KEY);
  if (link.results) await persistence.showResults(link.results, { source: 'link', save: false });
  else if (shown && !(await persistence.open(shown, { keepForm: link.found }))) env.sessionStorage?.removeItem(SHOWN_KEY);
  store.subscribe((s, prev) => {
    if (s.experimentId === prev.experimentId) return;
    if (s.experimentId) env.sessionStorage?.setItem(SHOWN_KEY, s.experimentId);
    else env.sessionStorage?.removeItem(SHOWN_KEY);
  });
  env.onPageHide?.(() => void persistence.flush());
  await persistence.refreshList();
  return persistence;
}
