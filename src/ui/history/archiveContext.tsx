// The saved-experiments service (state/persistence.ts), handed to the history and import UI. It
// starts asynchronously (IndexedDB opens, the shown experiment comes back, the list is read):
// undefined until then, or where the browser has none. An action that must not run without it
// when it is coming (an import, which is saved) waits for `ready` instead.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Persistence } from '../../state/persistence';

interface ArchiveContextValue {
  archive: Persistence | undefined;
  ready: Promise<Persistence | undefined>;
}

const ArchiveContext = createContext<ArchiveContextValue>({ archive: undefined, ready: Promise.resolve(undefined) });

export const useArchive = (): Persistence | undefined => useContext(ArchiveContext).archive;

/** Resolves once the archive has started: the service, or undefined where there is none. */
export const useArchiveReady = (): Promise<Persistence | undefined> => useContext(ArchiveContext).ready;

export function ArchiveProvider({ ready, children }: { ready: Promise<Persistence | undefined>; children: ReactNode }) {
  const [archive, setArchive] = useState<Persistence>();
  useEffect(() => {
    let live = true;
    void ready.then((p) => live && setArchive(p));
    return () => {
      live = false;
    };
  }, [ready]);
  // One value per change, so the memoised history items do not re-render when the provider does.
  const value = useMemo(() => ({ archive, ready }), [archive, ready]);
  return <ArchiveContext.Provider value={value}>{children}</ArchiveContext.Provider>;
}
