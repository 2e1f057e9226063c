// A value that follows `value` `frames` frames late, rendered in the background (a transition): a
// large part of the page that appears on Train (the charts, then the export) is laid out in a frame
// of its own, after the run cards, so no single task lays out everything at once: two parts given
// the same frame would be mounted in one commit. Give it the store's value directly
// (useLab): the transition already defers the render (why: state/messageBuffer.ts).
import { startTransition, useEffect, useState } from 'react';

export function useNextFrame<T>(value: T, frames = 1): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    let id = 0;
    const wait = (left: number) => {
      id = requestAnimationFrame(() => (left > 1 ? wait(left - 1) : startTransition(() => setShown(value))));
    };
    wait(frames);
    return () => cancelAnimationFrame(id);
  }, [value, shown, frames]);
  return shown;
}
