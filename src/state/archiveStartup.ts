// Page start-up of the saved experiments: opens the database, shows what the link carries or, on a
// reload of the same tab, the experiment the tab was showing (its id is kept in sessionStorage, so
// a new tab starts clean and finds past experiments in the history list).
import type { LifecycleAnnouncements } from '../core/run/lifecycle';
import type { LabStore } from './labStore';
import type { ExperimentDb } from './experimentDb';
import { experimentLocks } from './experimentLocks';
import { attachPersistence, type Persistence } from './persistence';
import type { LinkContents } from './shareLink';
import { showUnsavedResults } from './unsavedResults';

const SHOWN_KEY = 'duality-lab.shown-experiment';

export interface ArchiveEnv {
  /** Opens the history database (in its worker, in the page); undefined where the browser has no IndexedDB. */
  openDb: ((timeoutMs?: number) => Promise<ExperimentDb>) | undefined;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  /** The browser's Web Locks (navigator.locks): tell the experiments of open tabs from those of closed ones. */
  locks?: Pick<LockManager, 'request' | 'query'>;
  /** How long the database may take to open (experimentDb.ts's default otherwise). */
  openTimeoutMs?: number;
  /** Registers a callback for the page going away (pagehide): throttled saves are written then. */
  onPageHide?(callback: () => void): void;
  /** The run controller's announcements (a Train starts a new saved experiment). */
  announcements?: Pick<LifecycleAnnouncements, 'listen'>;
}

export async function startArchive(
  store: LabStore,
  link: LinkContents,
  env: ArchiveEnv,
): Promise<Persistence | undefined> {
  if (link.results) {
    // The link's results are shown at once, even where nothing can be saved.
    store.getState().setSpec(link.spec);
  }
  const without = (message: string) => {
    store.getState().setArchiveError(message);
    if (link.results) showUnsavedResults(store, link.results);
    return undefined;
  };
  if (!env.openDb)
    return without('This browser keeps no history here (IndexedDB is unavailable): export your results to keep them.');
  let persistence: Persistence;
  try {
    persistence = attachPersistence(store, await env.openDb(env.openTimeoutMs), {
      announcements: env.announcements,
      ...(env.locks ? { locks: experimentLocks(env.locks) } : {}),
    });
  } catch (e) {
    return without(
      `The history of experiments cannot be opened (${e instanceof Error ? e.message : String(e)}): nothing is kept after this tab closes; export your results to keep them. Imported results are shown for this session.`,
    );
  }
  const shown = env.sessionStorage?.getItem(SHOWN_KEY);
  if (link.results) await persistence.showResults(link.results, { source: 'link', save: false });
  // A reload shows the tab's experiment again, unless a Train was clicked while the database opened.
  else if (shown && !(await persistence.open(shown, { keepForm: link.found, whileIdle: true })))
    env.sessionStorage?.removeItem(SHOWN_KEY);
  const remember = (id: string | undefined) => {
    if (id) env.sessionStorage?.setItem(SHOWN_KEY, id);
    else env.sessionStorage?.removeItem(SHOWN_KEY);
  };
  // From here the tab remembers what it shows (a Train clicked while the database opened included).
  remember(store.getState().experimentId);
  store.subscribe((s, prev) => {
    if (s.experimentId !== prev.experimentId) remember(s.experimentId);
  });
  env.onPageHide?.(() => void persistence.flush());
  await persistence.refreshList();
  return persistence;
}
