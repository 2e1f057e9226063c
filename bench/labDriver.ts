// How the benchmarks drive the page: Debian's Chromium (scripts/lib/chromium.ts; SwiftShader for
// WebGL and WebGPU) with the e2e suite's flags, through playwright-core, and the lab opened with
// its test hook (?e2e=1) and the e2e suite's long-task recorder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumExecutable } from '../scripts/lib/chromium';
import type { TestSnapshot } from '../src/state/testHook';
import { CHROMIUM_FLAGS } from '../e2e/chromiumFlags';
import { longTasksSince, recordLongTasks } from './lib/longTasks';

export type RunSnapshot = TestSnapshot['runs'][number];

/** A fresh profile in a persistent context; fails at once, with the install command, when Chromium is missing. */
export async function launchChromium(
  args: string[] = CHROMIUM_FLAGS,
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface LabPage {
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
  state(): Promise<TestSnapshot>;
}

export async function openLab(context: BrowserContext, baseUrl: string, spec?: unknown, query = ''): Promise<LabPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(recordLongTasks);
  const hash = spec ? `#spec=${encodeURIComponent(JSON.stringify(spec))}` : '';
  await page.goto(`${baseUrl}?e2e=1${query}${hash}`);
  await page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
  return {
    page,
    errors,
    state: () =>
      page.evaluate(() =>
        (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab.getState(),
      ),
  };
}

/** Polls the hook until `done` holds; throws with the last state after `ms`. */
export async function waitForState(
  lab: LabPage,
  done: (s: TestSnapshot) => boolean,
  ms: number,
  what: string,
): Promise<TestSnapshot> {
  const until = Date.now() + ms;
  for (;;) {
    const s = await lab.state();
    if (done(s)) return s;
    if (Date.now() > until)
      throw new Error(
        `timed out after ${ms / 1000} s waiting for ${what}; state: ${JSON.stringify(s.runs.map((r) => [r.id, r.status, r.step, r.totalSteps, r.error]))}`,
      );
    await lab.page.waitForTimeout(250);
  }
}

export const ended = (r: RunSnapshot) => ['done', 'diverged', 'stopped', 'interrupted', 'error'].includes(r.status);

/** Longest main-thread task (ms) since `since` (performance.now() in the page). */
export async function longestTaskSince(page: Page, since: number): Promise<number> {
  return (await longTasksSince(page, since)).reduce((m, [, d]) => Math.max(m, d), 0);
}

export const controlButton = (page: Page, name: string) =>
  page.getByTestId('controls').getByRole('button', { name, exact: true });

export async function clickButton(page: Page, name: string): Promise<void> {
  await controlButton(page, name).click();
}
