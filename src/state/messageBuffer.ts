// Worker messages arrive once per optimiser step per run; re-rendering for each would flood the main
// thread. They are buffered and handed over in one batch at most once per interval.

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

/** At most one flush per `intervalMs` (100 ms: ten per second). */
export function createMessageBuffer<T>(onFlush: (batch: T[]) => void, intervalMs = 100, timer: Timer = defaultTimer): MessageBuffer<T> {
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
