// Long main-thread tasks (Long Tasks API) and the scripts inside long animation frames (Long
// Animation Frames API: which script ran, for how long), recorded in the page from its first script
// on by a PerformanceObserver; a case reads them after a mark (performance.now() in the page).
import type { Page } from '@playwright/test';

interface LongFrameLog {
  __longTasks: { start: number; duration: number }[];
  __frameScripts: { start: number; duration: number; source: string; invoker: string }[];
}

/** The init script: runs in the page before its own scripts. */
export function recordLongFrames(): void {
  type LoafScript = {
    startTime: number;
    duration: number;
    sourceURL: string;
    invoker: string;
    sourceFunctionName: string;
    sourceCharPosition: number;
  };
  const w = window as unknown as LongFrameLog;
  w.__longTasks = [];
  w.__frameScripts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      for (const sc of (e as unknown as { scripts: LoafScript[] }).scripts) {
        w.__frameScripts.push({
          start: sc.startTime,
          duration: sc.duration,
          source: sc.sourceURL,
          invoker: `${sc.invoker} ${sc.sourceFunctionName || '?'}@${sc.sourceURL.split('/').pop()}:${sc.sourceCharPosition}`,
        });
      }
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
}

/** Main-thread long tasks since `since`, as [start - since, duration] in ms. */
export function longTasksSince(page: Page, since: number): Promise<[number, number][]> {
  return page.evaluate((t0) => {
    const tasks = (window as unknown as LongFrameLog).__longTasks;
    return tasks
      .filter((t) => t.start >= t0)
      .map((t): [number, number] => [Math.round(t.start - t0), Math.round(t.duration)]);
  }, since);
}

/**
 * Scripts of the lab's own origin that ran inside long animation frames since `since`, as
 * [start - since, duration, invoker]: the lab's code, without the browser's layout and paint and
 * without scripts the test harness evaluates in the page.
 */
export function labScriptsSince(page: Page, since: number): Promise<[number, number, string][]> {
  return page.evaluate((t0) => {
    const scripts = (window as unknown as LongFrameLog).__frameScripts;
    return scripts
      .filter((sc) => sc.start >= t0 && sc.source.startsWith(location.origin))
      .map((sc): [number, number, string] => [Math.round(sc.start - t0), Math.round(sc.duration), sc.invoker]);
  }, since);
}
