// The width an axis needs for its tick labels in the page's type (larger in presentation mode):
// measured, and measured again when the root element's class (presentation) changes.
import { useLayoutEffect, useState } from 'react';
import { widestText } from './textWidth';

/** Pixels for `labels` plus the tick and a gap, for a recharts YAxis width. */
export function useLabelWidth(labels: string[], extra = 14): number {
  const key = labels.join('\n');
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const measure = () => setWidth(Math.ceil(widestText(key.split('\n'), document.documentElement)));
    measure();
    const mo = new MutationObserver(measure);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => mo.disconnect();
  }, [key]);
  return width + extra;
}
