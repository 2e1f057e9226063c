// A value that follows `value` one frame late, rendered in the background (a transition): a large
// part of the page that appears on Train (the charts) is laid out in a frame of its own, after the
// run cards, so no single task lays out everything at once. Give it the store's value directly
// (useLab): the transition already defers the render (why: state/messageBuffer.ts).
import { startTransition, useEffect, useState } from 'react';

export function useNextFrame<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const id = requestAnimationFrame(() => startTransition(() => setShown(value)));
    return () => cancelAnimationFrame(id);
  }, [value, shown]);
  return shown;
}
