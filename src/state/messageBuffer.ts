// The one rate of everything live on the page. Worker messages arrive once per optimiser step per
// run; re-rendering for each would flood the main thread. They are buffered here and handed to the
// store in one batch at most once per FLUSH_MS, and that flush is the only clock between the workers
// and the screen: no view keeps a timer or throttle of its own.
//   - Small views (run cards, buttons) read the store with useLab and follow every flush.
//   - Large views (charts, history, export) read it with useLabDeferred (React's useDeferredValue):
//     React renders them in the background in slices of a few ms, and when a render is still
//     running as the next flush lands it starts over from the newest value, so under load the
//     charts skip flushes instead of queueing them. This is what keeps each main-thread task under
//     the 50 ms budget (the e2e long-task check), without a second, slower rate for the charts.
//   - On Train, the charts and the export mount a frame after the run cards (useNextFrame), so
//     no one task lays out the whole page; that is about mounting, not about the live rate.

export interface MessageBuffer<T> {
  push(message: T): void;
  /** Hands over what is buffered now (used before a reset, so nothing stale lands afterwards). */
  flush(): void;
  /** Drops what is buffered and stops the timer. */
  clear(): void;
}

export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const defaultTimer: Timer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Ten flushes a second: the run cards' step counts read as live, and a batch holds a few steps per run. */
export const FLUSH_MS = 100;

/** At most one flush per `intervalMs`. */
export function createMessageBuffer<T>(
  onFlush: (batch: T[]) => void,
  intervalMs = FLUSH_MS,
  timer: Timer = defaultTimer,
): MessageBuffer<T> {
  let pending: T[] = [];
  let handle: unknown;
  const flush = () => {
    if (handle !== undefined) timer.clear(handle);
    handle = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    onFlush(batch);
  };
  return {
    push(message) {
      pending.push(message);
      if (handle === undefined) handle = timer.set(flush, intervalMs);
    },
    flush,
    clear() {
      if (handle !== undefined) timer.clear(handle);
      handle = undefined;
      pending = [];
    },
  };
}
