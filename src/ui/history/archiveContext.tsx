// The saved-experiments service (state/persistence.ts), handed to the history and import UI. It
// starts asynchronously (IndexedDB opens); undefined until then, or where the browser has none.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Persistence } from '../../state/persistence';

const ArchiveContext = createContext<Persistence | undefined>(undefined);

export const useArchive = (): Persistence | undefined => useContext(ArchiveContext);

export function ArchiveProvider({ ready, children }: { ready: Promise<Persistence | undefined>; children: ReactNode }) {
  const [archive, setArchive] = useState<Persistence>();
  useEffect(() => {
    let live = true;
    void ready.then((p) => live && setArchive(p));
    return () => {
      live = false;
    };
  }, [ready]);
  return <ArchiveContext.Provider value={archive}>{children}</ArchiveContext.Provider>;
}
