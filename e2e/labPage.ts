// The lab as the cases see it: a page object over the page's test hook (`?e2e=1` installs
// window.__dualityLab.getState(), a TestSnapshot of the store) and the locators the cases share.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import type { ExperimentSpec } from '../src/core/spec';
import type { TestSnapshot } from '../src/state/testHook';

export type RunSnapshot = TestSnapshot['runs'][number];

/** Screenshots a case keeps for people to look at (git-ignored). */
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

const ENDED = ['done', 'diverged', 'stopped', 'interrupted', 'error'];
export const ended = (r: RunSnapshot) => ENDED.includes(r.status);

/** A run's progress in one line, shown when a wait on the store times out. */
const progress = (s: TestSnapshot) =>
  s.runs.map((r) => `${r.id} ${r.status} ${r.step}/${r.totalSteps}${r.error ? ` (${r.error})` : ''}`).join('; ') ||
  'no runs';

export class LabPage {
  /** Uncaught page errors and console errors seen so far. */
  readonly errors: string[] = [];
  /** Every request the page and its workers made, with the response status (0: no response). */
  readonly requests: { url: string; status: number }[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console: ${m.text()}`);
    });
    page.on('requestfinished', async (r) =>
      this.requests.push({ url: r.url(), status: (await r.response())?.status() ?? 0 }),
    );
    page.on('requestfailed', (r) => this.requests.push({ url: r.url(), status: 0 }));
  }

  /** Opens the lab with `spec` in the URL hash (none: the default preset); `base` is the baseURL's page unless given. */
  async open(spec?: ExperimentSpec, query = '', base = '/'): Promise<void> {
    await this.openHash(spec ? `#spec=${encodeURIComponent(JSON.stringify(spec))}` : '', query, base);
  }

  /** Opens the lab at a hash as a link carries it (e.g. a share link's #x=...). */
  async openHash(hash: string, query = '', base = '/'): Promise<void> {
    // A page already open here would take a new hash without loading again: start from a blank page.
    if (this.page.url() !== 'about:blank') await this.page.goto('about:blank');
    await this.page.goto(`${base}?e2e=1${query}${hash}`);
    await this.hooked();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.hooked();
  }

  private async hooked(): Promise<void> {
    await this.page.waitForFunction(
      () => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}),
    );
  }

  state(): Promise<TestSnapshot> {
    return this.page.evaluate(() =>
      (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab.getState(),
    );
  }

  /** Polls the store until `done` holds and returns that state; on timeout the failure shows every run's progress. */
  async until(what: string, done: (s: TestSnapshot) => boolean, timeout: number): Promise<TestSnapshot> {
    let last: TestSnapshot | undefined;
    await expect
      .poll(
        async () => {
          last = await this.state();
          return done(last) || progress(last);
        },
        { message: `waiting for ${what}`, timeout },
      )
      .toBe(true);
    return last!;
  }

  /** Waits until there are `count` runs and every one has ended (done, diverged, stopped, interrupted or error). */
  untilEnded(count: number, timeout: number): Promise<TestSnapshot> {
    return this.until(`${count} runs to end`, (s) => s.runs.length === count && s.runs.every(ended), timeout);
  }

  get controls(): Locator {
    return this.page.getByTestId('controls');
  }

  /** A button of the experiment's controls (Train, Pause, Resume, Stop, Reset). */
  button(name: string): Locator {
    return this.controls.getByRole('button', { name, exact: true });
  }

  /** A form field by its spec path (e.g. `train.lr`): its input, and its issue as an alert. */
  field(specPath: string): Locator {
    return this.page.locator(`[data-path="${specPath}"]`);
  }

  get runRows(): Locator {
    return this.page.getByTestId('run-row');
  }

  /** A run's card. */
  card(id: string): Locator {
    return this.page.getByRole('article').and(this.page.locator(`[data-run="${id}"]`));
  }

  /** A chart by its kind (loss, clean, robust, tradeoff, weight-slice, input-slice). */
  chart(kind: string): Locator {
    return this.page.locator(`[data-chart="${kind}"]`);
  }

  /** A labelled section: export, history, share link, loss landscapes and sharpness... */
  region(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  /** Clicks an export button and reads the file it downloads. */
  async download(button: string): Promise<{ file: Download; bytes: Buffer }> {
    const [file] = await Promise.all([
      this.page.waitForEvent('download'),
      this.region('export').getByRole('button', { name: button, exact: true }).click(),
    ]);
    return { file, bytes: fs.readFileSync(await file.path()) };
  }

  /** Keys pressed on the page body, as when nothing is focused. */
  async pressOnPage(key: string): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press(key);
  }

  /** A screenshot kept in e2e/artifacts/ (git-ignored). */
  async shot(name: string, fullPage = true): Promise<void> {
    await this.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
  }

  expectNoErrors(): void {
    expect(this.errors, 'no page errors').toEqual([]);
  }
}
