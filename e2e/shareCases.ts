// End-to-end cases of issue 6: share links, the saved history (reloads), exports read back, the
// results link, import, no request to another origin, and the CLI's --browser runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { readSafetensorsHeader } from '../src/core/export/safetensors';
import type { ExperimentSpec } from '../src/core/spec';
import { parseResultsText } from '../src/state/resultsFile';
import { encodeShareHash } from '../src/state/shareUrl';
import type { TestSnapshot } from '../src/state/testHook';
import { clickButton, ended, tinySpec, waitForState, watchPage, type LabPage } from './lab';
import { check, settled, type Case } from './runner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Opens the page at a share link (the compact #x= form), as a user would. */
async function openLink(context: BrowserContext, url: string, hash: string, query = '&parallel=1'): Promise<LabPage> {
  const page = await context.newPage();
  const { errors, requests } = watchPage(page);
  await page.goto(`${url}?e2e=1${query}${hash}`);
  await page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
  return { page, errors, requests, state: () => page.evaluate(() => (window as unknown as { __dualityLab: { getState(): TestSnapshot } }).__dualityLab.getState()) };
}

async function download(page: Page, click: () => Promise<void>): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { file, bytes: fs.readFileSync(await file.path()) };
}
const exportButton = (page: Page, name: string) => () => page.locator('.export').getByRole('button', { name, exact: true }).click();

/** Two runs trained one after another (parallel=1), 3 epochs: long enough to reload in the middle. */
function historySpec(): ExperimentSpec {
  return tinySpec((s) => {
    s.seed = 4242;
    s.train.epochs = 3;
    s.eval.attacks = [{ norm: 'linf', eps: 2 / 255 }];
    s.runs = [
      { id: 'sgd', method: 'sgd' },
      { id: 'sam', method: 'sam', rho: 0.1 },
    ];
  });
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  check(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'the PNG signature');
  check(bytes.subarray(12, 16).toString('ascii') === 'IHDR', 'the PNG starts with its IHDR chunk');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export function shareCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: 'share link: the form shows its values, edits rewrite the hash without history entries, a damaged link gives one message',
      async fn() {
        const spec = tinySpec((s) => {
          s.seed = 321;
          s.train.lr = 0.07;
        });
        const lab = await openLink(context, url, encodeShareHash(spec));
        const s = await lab.state();
        check(s.notice === undefined, `a clean link gives no message, got ${s.notice}`);
        check((await lab.page.locator('[data-path="train.lr"] input').inputValue()) === '0.07', 'the form shows lr 0.07');
        check((await lab.page.locator('[data-path="seed"] input').inputValue()) === '321', 'the form shows seed 321');
        check((await lab.page.locator('.run-row').count()) === 3, 'the three runs of the link');
        const historyLength = await lab.page.evaluate(() => history.length);
        await lab.page.locator('[data-path="train.lr"] input').fill('0.09');
        await lab.page.waitForFunction((h) => location.hash !== h, encodeShareHash(spec));
        check((await lab.page.evaluate(() => history.length)) === historyLength, 'editing adds no history entry (replaceState)');
        check((await lab.page.evaluate(() => location.hash)) === encodeShareHash({ ...spec, train: { ...spec.train, lr: 0.09 } }), 'the hash is the edited spec');
        const link = await lab.page.locator('.share-bar input').inputValue();
        check(link.endsWith(encodeShareHash({ ...spec, train: { ...spec.train, lr: 0.09 } })), 'the Copy link field holds the link');
        await lab.page.close();

        const damaged = await openLink(context, url, encodeShareHash(spec).slice(0, -15));
        const d = await damaged.state();
        check(/damaged or truncated/.test(d.notice ?? ''), `one message for a damaged link, got ${d.notice}`);
        check((await damaged.page.locator('.notice').count()) === 1, 'shown once');
        check(damaged.errors.length === 0, `no page errors: ${damaged.errors.join('; ')}`);
        await damaged.page.close();
      },
    },
    {
      name: 'history and exports: reload mid-way (interrupted) and after the end (done), every export read back, results link, import; no other origin contacted',
      async fn() {
        const foreign: string[] = [];
        await context.route('**', (route) => {
          const host = new URL(route.request().url()).hostname;
          if (host === '127.0.0.1' || host === 'localhost' || route.request().url().startsWith('data:') || route.request().url().startsWith('blob:')) return route.continue();
          foreign.push(route.request().url());
          return route.abort();
        });
        try {
          const spec = historySpec();
          const lab = await openLink(context, url, encodeShareHash(spec));
          await clickButton(lab.page, 'Train');
          // The runs step side by side: sam is paused part-way (its own card's Pause), sgd goes on to
          // its end; then a reload cuts sam off (the tab's workers die with the page).
          await waitForState(lab, (st) => st.runs[1]?.step > 0 && st.runs[1].status === 'training', 120_000, 'sam to start');
          await lab.page.locator('[data-run="sam"]').getByRole('button', { name: /^Pause/ }).click();
          await waitForState(lab, (st) => st.runs[1].status === 'paused', 30_000, 'sam to pause');
          await waitForState(lab, (st) => st.runs[0].status === 'done', 120_000, 'sgd to end while sam is paused');
          // Evaluations are saved at once, progress at most once a second (and at pagehide): let one land.
          await lab.page.waitForTimeout(1200);
          const before = await lab.state();
          check(before.runs[1].step < before.runs[1].totalSteps, 'sam is part-way');
          await lab.page.reload();
          const cut = await waitForState(lab, (st) => st.runs.length === 2, 10_000, 'the experiment to come back after the reload');
          check(cut.runs[0].status === 'done' && cut.runs[0].evaluations === before.runs[0].evaluations, `sgd is done with its ${before.runs[0].evaluations} evaluations, got ${cut.runs[0].status} ${cut.runs[0].evaluations}`);
          check(cut.runs[1].status === 'interrupted', `sam is interrupted, got ${cut.runs[1].status}`);
          check(cut.runs[1].evaluations >= 1 && cut.runs[1].step > 0, `sam keeps what it computed (${cut.runs[1].evaluations} evaluations, step ${cut.runs[1].step})`);
          check(/interrupted/.test(await lab.page.locator('.history-item').first().innerText()), 'the history list shows the interrupted run');

          // Train again to the end, export everything while the workers still hold the models.
          await clickButton(lab.page, 'Train');
          const done = await waitForState(lab, (st) => st.runs.length === 2 && st.runs.every(ended), 120_000, 'both runs to end');
          check(done.runs.every((r) => r.status === 'done'), 'both runs done');
          await lab.page.waitForTimeout(300);

          const json = await download(lab.page, exportButton(lab.page, 'Results JSON'));
          const parsed = parseResultsText(json.bytes.toString('utf8'));
          check(parsed.ok, `the results file reads back: ${parsed.ok ? '' : parsed.reason}`);
          const results = parsed.results;
          check(JSON.stringify(results.spec) === JSON.stringify(spec), 'the results hold the spec');
          for (const [i, r] of results.runs.entries()) {
            const st = done.runs[i];
            check(r.id === st.id && r.status === st.status && r.history.length === st.evaluations, `run ${r.id} matches the store`);
            check(r.history.at(-1)!.cleanAcc === st.lastMetrics!.cleanAcc, `run ${r.id}: last clean accuracy matches`);
          }

          const csv = (await download(lab.page, exportButton(lab.page, 'Curves CSV'))).bytes.toString('utf8').trim().split('\n');
          check(csv[0] === 'run,method,curve,epoch,step,value', 'the CSV header');
          const expectedRows = results.runs.reduce((n, r) => n + r.history.reduce((m, p) => m + 3 + (p.cleanLoss !== undefined ? 1 : 0) + Object.keys(p.robust).length + (p.probe ? (p.probe.largeEpsAcc !== undefined ? 2 : 1) : 0), 0), 0);
          check(csv.length === 1 + expectedRows, `one CSV row per curve point: ${csv.length - 1} vs ${expectedRows}`);
          const last = results.runs[1].history.at(-1)!;
          check(csv.includes(`sam,sam,cleanAcc,${last.epoch},${last.step},${last.cleanAcc}`), 'the CSV holds sam\'s last clean accuracy');

          const png = await download(lab.page, exportButton(lab.page, 'Clean accuracy PNG'));
          const size = pngSize(png.bytes);
          check(size.width === 960 && size.height === 460, `the PNG is 960x460 (2x the chart), got ${size.width}x${size.height}`);
          const svg = (await download(lab.page, exportButton(lab.page, 'Loss SVG'))).bytes.toString('utf8');
          check(svg.startsWith('<?xml') && /<svg[^>]*width="480"/.test(svg) && (svg.match(/class="series-line/g) ?? []).length === 2, 'the SVG is a standalone chart with two curves');

          const weights = await download(lab.page, () => lab.page.locator('.export').getByRole('button', { name: 'weights of sam' }).click());
          check(weights.file.suggestedFilename() === 'duality-lab-sam.safetensors', 'the weights file name');
          const header = readSafetensorsHeader(new Uint8Array(weights.bytes));
          check(JSON.stringify(header.tensors['conv1.weight']?.shape) === JSON.stringify([4, 3, 3, 3]), `conv1.weight is [cOut, cIn, kh, kw] = [4, 3, 3, 3], got ${JSON.stringify(header.tensors['conv1.weight']?.shape)}`);
          check(JSON.stringify(header.tensors['fc2.weight']?.shape) === JSON.stringify([8, 16]), `fc2.weight is [out, in] = [8 shapes, 16], got ${JSON.stringify(header.tensors['fc2.weight']?.shape)}`);
          check(header.metadata.run === 'sam', 'the metadata names the run');

          // The results link (small enough to carry the results) shows the curves without training.
          const resultsLink = await lab.page.locator('.share-bar input').inputValue();
          check((await lab.page.locator('.share-bar input').getAttribute('data-with-results')) === 'yes', 'the link carries the results');
          await lab.page.reload();
          const after = await waitForState(lab, (st) => st.runs.length === 2, 10_000, 'the experiment after the reload');
          check(after.runs.every((r, i) => r.status === 'done' && r.evaluations === done.runs[i].evaluations), 'after the reload both runs are done with all their evaluations');
          await lab.page.close();

          const viewer = await openLink(context, url, resultsLink.slice(resultsLink.indexOf('#')));
          const shown = await waitForState(viewer, (st) => st.runs.length === 2, 10_000, 'the results of the link');
          check(shown.runs.every((r, i) => r.status === 'done' && r.evaluations === done.runs[i].evaluations && r.backend === 'wasm'), 'the link shows both finished runs');
          check((await settled(() => viewer.page.locator('[data-chart="clean"] .series-line').count(), (n) => n === 2)) === 2, 'the clean-accuracy curves are drawn');
          await viewer.page.waitForTimeout(500);
          check((await viewer.state()).runs.every((r) => r.status === 'done'), 'nothing trains');

          // Import: the results file becomes a finished experiment; a malformed file is refused with the reason.
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-import-'));
          const bad = JSON.parse(json.bytes.toString('utf8'));
          bad.runs[0].history[1].cleanAcc = 'high';
          fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
          fs.writeFileSync(path.join(dir, 'good.json'), json.bytes);
          await viewer.page.locator('input[type=file][aria-label="import results file"]').setInputFiles(path.join(dir, 'bad.json'));
          const alert = viewer.page.locator('.history [role=alert]');
          await alert.waitFor();
          check(/bad.json was not imported: runs\[0\]\.history\[1\]\.cleanAcc: must be a number/.test(await alert.innerText()), `the reason is shown: ${await alert.innerText()}`);
          await viewer.page.locator('input[type=file][aria-label="import results file"]').setInputFiles(path.join(dir, 'good.json'));
          await viewer.page.locator('.history-item', { hasText: 'good' }).waitFor();
          const imported = await viewer.state();
          check(imported.runs.length === 2 && imported.runs.every((r, i) => r.status === 'done' && r.evaluations === done.runs[i].evaluations), 'the import is shown as a finished experiment');
          fs.rmSync(dir, { recursive: true, force: true });
          check(lab.errors.length === 0 && viewer.errors.length === 0, `no page errors: ${[...lab.errors, ...viewer.errors].join('; ')}`);
          await viewer.page.close();
          check(foreign.length === 0, `no request to another origin, got ${foreign.join(', ')}`);
        } finally {
          await context.unroute('**');
        }
      },
    },
    {
      name: 'CLI --browser: a tiny spec runs to the end in headless Chromium and writes valid results',
      async fn() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-cli-'));
        try {
          const spec = tinySpec((s) => {
            s.train.epochs = 1;
            s.runs = [{ id: 'sgd', method: 'sgd' }];
          });
          fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
          const out = path.join(dir, 'results.json');
          const r = spawnSync('npx', ['tsx', 'scripts/lab.ts', 'run', path.join(dir, 'spec.json'), '--browser', '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
          check(r.status === 0, `exit 0, got ${r.status}: ${r.stderr}`);
          check(/sgd +\[#+\] 100% done on wasm/.test(r.stderr), `a progress bar ends done on wasm: ${r.stderr}`);
          const read = parseResultsText(fs.readFileSync(out, 'utf8'));
          check(read.ok && read.results.runs[0].status === 'done' && read.results.runs[0].history.length === 2 && read.results.backend === 'wasm', `valid results: ${fs.readFileSync(out, 'utf8').slice(0, 300)}`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
