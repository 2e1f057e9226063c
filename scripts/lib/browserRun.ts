// `npm run lab -- run <spec.json | share URL> --browser`: trains the experiment in the real page,
// in headless Chromium (the system's, as the e2e suite uses it; WebGPU where the machine has one),
// with one progress bar per run in the terminal, and returns the results the page exports (its
// "Results JSON" download: the same format the Node runner writes).
//
// The page is the built one (dist/; built first with `vite build` when missing), served on
// 127.0.0.1 by `vite preview`. Runs train one after another (?parallel=1), like the Node runner.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import type { ExperimentSpec } from '../../src/core/spec';
import type { Results } from '../../src/core/train/results';
import { parseResultsText } from '../../src/core/train/resultsFile';
import { shareLinkHash } from '../../src/state/shareLink';
import type { TestSnapshot } from '../../src/state/testHook';
import { chromiumExecutable } from './chromium';
import { progressBar, type ProgressBar } from './progress';
import { specFromSource } from './specFromSource';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FINAL = ['done', 'diverged', 'stopped', 'interrupted', 'error'];

export interface BrowserRunOptions {
  /** Chromium's executable: --chromium, else $CHROMIUM_PATH, else /usr/bin/chromium. */
  chromium?: string;
  stream?: NodeJS.WriteStream;
}

async function ensureBuilt(stream: NodeJS.WriteStream): Promise<void> {
  if (fs.existsSync(path.join(root, 'dist/index.html'))) return;
  stream.write('dist/ is missing: building the page (vite build)...\n');
  await build({ root, logLevel: 'warn' });
}

/** Draws one bar per run, in turn, from the page's state (runs train one after another). */
function progressFrom(spec: ExperimentSpec, stream: NodeJS.WriteStream) {
  const bars = new Map<string, ProgressBar>();
  const closed = new Set<string>();
  return (s: TestSnapshot) => {
    for (const r of s.runs) {
      if (closed.has(r.id) || (r.status === 'queued' && r.step === 0)) continue;
      let bar = bars.get(r.id);
      if (!bar) bars.set(r.id, (bar = progressBar(r.id.padEnd(8), Math.max(1, r.totalSteps), stream)));
      const eval_ = r.lastMetrics
        ? `clean ${(100 * r.lastMetrics.cleanAcc).toFixed(1)}%${Object.entries(r.lastMetrics.robust)
            .map(([k, v]) => ` ${k} ${(100 * v).toFixed(1)}%`)
            .join('')}`
        : '';
      if (FINAL.includes(r.status)) {
        bar.finish(`${r.status}${r.backend ? ` on ${r.backend}` : ''} ${eval_}${r.error ? `: ${r.error}` : ''}`);
        closed.add(r.id);
      } else bar.update(r.step, `step ${r.step}/${r.totalSteps} ${eval_}`);
    }
    return spec.runs.every((r) => closed.has(r.id));
  };
}

export async function runInBrowser(source: string, options: BrowserRunOptions = {}): Promise<Results> {
  const stream = options.stream ?? process.stderr;
  const spec = specFromSource(source);
  const executable = chromiumExecutable(options.chromium);
  await ensureBuilt(stream);
  const server = await preview({
    root,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 4189, strictPort: false },
  });
  let browser: Browser | undefined;
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report its address');
    browser = await chromium.launch({
      executablePath: executable,
      headless: true,
      args: [
        '--enable-unsafe-webgpu',
        '--enable-unsafe-swiftshader',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--no-sandbox',
      ],
    });
    const page = await (
      await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } })
    ).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${url}?e2e=1&parallel=1${shareLinkHash(spec).hash}`);
    await page.waitForFunction(
      () => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}),
    );
    const state = () =>
      page.evaluate(() =>
        (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab.getState(),
      );
    const first = await state();
    if (first.notice) throw new Error(`the page did not take the spec as it is: ${first.notice}`);
    if (first.issues.length > 0)
      throw new Error(`the page refuses the spec: ${first.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    await page.locator('.controls').getByRole('button', { name: 'Train', exact: true }).click();
    const draw = progressFrom(spec, stream);
    for (;;) {
      if (pageErrors.length > 0) throw new Error(`the page failed: ${pageErrors.join('; ')}`);
      if (draw(await state())) break;
      await page.waitForTimeout(250);
    }
    return await exportedResults(page);
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** The page's own results export, read back and checked like an import. */
async function exportedResults(page: Page): Promise<Results> {
  // The last store flush after the final 'done' (at most 100 ms).
  await page.waitForTimeout(300);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export').getByRole('button', { name: 'Results JSON' }).click(),
  ]);
  const file = await download.path();
  const read = parseResultsText(fs.readFileSync(file, 'utf8'));
  if (!read.ok) throw new Error(`the page's results file is not valid: ${read.reason}`);
  return read.results;
}
