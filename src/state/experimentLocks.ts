// Which saved experiments a tab of the lab has on screen: each tab holds a Web Lock named after the
// experiment it shows, and lets it go when it shows another one. The browser lets go of a closed
// tab's locks, so an experiment nobody holds whose runs were unfinished was cut off with its tab.
const PREFIX = 'duality-lab:experiment:';

export interface ExperimentLocks {
  /** Holds the lock of `id` (and lets go of the one held before); undefined holds none. */
  hold(id: string | undefined): void;
  /** The experiments some tab holds now. */
  held(): Promise<Set<string>>;
}

export function experimentLocks(locks: Pick<LockManager, 'request' | 'query'>): ExperimentLocks {
  let current: { id: string; release(): void } | undefined;
  return {
    hold(id) {
      if (current?.id === id) return;
      current?.release();
      current = undefined;
      if (id === undefined) return;
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      current = { id, release };
      void locks.request(PREFIX + id, () => held);
    },
    async held() {
      const { held = [] } = await locks.query();
      return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
    },
  };
}
