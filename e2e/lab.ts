// Page helpers for the lab: open it with a spec in the URL hash, read the test hook, wait for runs.
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_SPEC, type ExperimentSpec } from '../src/core/spec';
import type { TestSnapshot } from '../src/state/testHook';

export type RunSnapshot = TestSnapshot['runs'][number];

/** The smallest experiment that still shows everything: 32x32 shapes, a 4-channel CNN, two budgets. */
export function tinySpec(over: (s: ExperimentSpec) => void = () => {}): ExperimentSpec {
  const s = structuredClone(DEFAULT_SPEC);
  s.dataset = { ...s.dataset, name: 'shapes', trainSize: 256, testSize: 64 };
  s.model = { name: 'cnn', width: 4, depth: 1 };
  s.train = { ...s.train, epochs: 2, batchSize: 32, lr: 0.05, backend: 'wasm' };
  s.eval = { subsetSize: 64, attacks: [{ norm: 'linf', eps: 2 / 255 }, { norm: 'linf', eps: 8 / 255 }], pgdSteps: 2, every: 1, during: { subsetSize: 64, pgdSteps: 2 }, apgd: s.eval.apgd };
  s.landscape = { ...s.landscape, when: 'never' };
  s.runs = [
    { id: 'sgd', method: 'sgd' },
    { id: 'sam', method: 'sam', rho: 0.1 },
    { id: 'at', method: 'at', norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 2 },
  ];
  over(s);
  return s;
}

export interface LabPage {
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
  /** Every request the page and its workers made, with the response status (0: no response). */
  requests: { url: string; status: number }[];
  state(): Promise<TestSnapshot>;
}

/** Records the page's errors (uncaught, and console errors) and requests from now on. */
export function watchPage(page: Page): Pick<LabPage, 'errors' | 'requests'> {
  const errors: string[] = [];
  const requests: LabPage['requests'] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('requestfinished', async (r) => requests.push({ url: r.url(), status: (await r.response())?.status() ?? 0 }));
  page.on('requestfailed', (r) => requests.push({ url: r.url(), status: 0 }));
  return { errors, requests };
}

export async function openLab(context: BrowserContext, baseUrl: string, spec?: ExperimentSpec, query = ''): Promise<LabPage> {
  const page = await context.newPage();
  const { errors, requests } = watchPage(page);
  // Long main-thread tasks, and the scripts inside long animation frames (Long Animation Frames
  // API: which script ran, for how long), recorded from the start; a case reads them after a mark.
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[]; __frameScripts: FrameScript[] };
    type FrameScript = { start: number; duration: number; source: string; invoker: string };
    type LoafScript = { startTime: number; duration: number; sourceURL: string; invoker: string; sourceFunctionName: string; sourceCharPosition: number };
    w.__longTasks = [];
    w.__frameScripts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        for (const sc of (e as unknown as { scripts: LoafScript[] }).scripts) {
          w.__frameScripts.push({ start: sc.startTime, duration: sc.duration, source: sc.sourceURL, invoker: `${sc.invoker} ${sc.sourceFunctionName || '?'}@${sc.sourceURL.split('/').pop()}:${sc.sourceCharPosition}` });
        }
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  const hash = spec ? `#spec=${encodeURIComponent(JSON.stringify(spec))}` : '';
  await page.goto(`${baseUrl}?e2e=1${query}${hash}`);
  await page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
  return { page, errors, requests, state: () => page.evaluate(() => (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab.getState()) };
}

/** Polls the hook until `done` holds; throws with the last state after `ms`. */
export async function waitForState(lab: LabPage, done: (s: TestSnapshot) => boolean, ms: number, what: string): Promise<TestSnapshot> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await lab.state();
    if (done(s)) return s;
    if (Date.now() > until) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}; state: ${JSON.stringify(s.runs.map((r) => [r.id, r.status, r.step, r.totalSteps, r.error]))}`);
    await lab.page.waitForTimeout(250);
  }
}

export const ended = (r: RunSnapshot) => ['done', 'diverged', 'stopped', 'interrupted', 'error'].includes(r.status);

/** Main-thread long tasks since `since` (performance.now() in the page), as [start - since, duration] in ms. */
export async function longTasksSince(page: Page, since: number): Promise<[number, number][]> {
  return page.evaluate((t0) => {
    const tasks = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
    return tasks.filter((t) => t.start >= t0).map((t): [number, number] => [Math.round(t.start - t0), Math.round(t.duration)]);
  }, since);
}

/**
 * Scripts of the lab's own origin that ran inside long animation frames since `since`, as
 * [start - since, duration, invoker]: the lab's code, without the browser's layout and paint and
 * without scripts the test harness evaluates in the page.
 */
export async function labScriptsSince(page: Page, since: number): Promise<[number, number, string][]> {
  return page.evaluate((t0) => {
    const scripts = (window as unknown as { __frameScripts: { start: number; duration: number; source: string; invoker: string }[] }).__frameScripts;
    return scripts
      .filter((sc) => sc.start >= t0 && sc.source.startsWith(location.origin))
      .map((sc): [number, number, string] => [Math.round(sc.start - t0), Math.round(sc.duration), sc.invoker]);
  }, since);
}

/** Longest main-thread task (ms) since `since` (performance.now() in the page). */
export async function longestTaskSince(page: Page, since: number): Promise<number> {
  return (await longTasksSince(page, since)).reduce((m, [, d]) => Math.max(m, d), 0);
}

export async function clickButton(page: Page, name: string): Promise<void> {
  await page.locator('.controls').getByRole('button', { name, exact: true }).click();
}

export { DEFAULT_SPEC };
