// Long main-thread tasks (Long Tasks API, wall time), recorded in the page from its first script on
// by a PerformanceObserver; the page bench reads them after a mark (performance.now() in the page).
import type { Page } from '@playwright/test';

interface LongTaskLog {
  __longTasks: { start: number; duration: number }[];
}

/** The init script: runs in the page before its own scripts. */
export function recordLongTasks(): void {
  const w = window as unknown as LongTaskLog;
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Main-thread long tasks since `since`, as [start - since, duration] in ms. */
export function longTasksSince(page: Page, since: number): Promise<[number, number][]> {
  return page.evaluate((t0) => {
    const tasks = (window as unknown as LongTaskLog).__longTasks;
    return tasks
      .filter((t) => t.start >= t0)
      .map((t): [number, number] => [Math.round(t.start - t0), Math.round(t.duration)]);
  }, since);
}
