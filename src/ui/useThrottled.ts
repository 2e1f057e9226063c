// A value that follows `value` at most once per `ms` (always ending on the latest): the charts
// redraw about once a second while the run cards follow every flush.
import { useEffect, useRef, useState } from 'react';

export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const id = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, Math.max(0, last.current + ms - performance.now()));
    return () => clearTimeout(id);
  }, [value, shown, ms]);
  return shown;
}
