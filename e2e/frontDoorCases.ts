// The front door, as a new user meets it: a fresh browser profile, the default preset with the
// backend on "auto", one click on Train, on the dev server that `npm start` runs (with an empty
// dependency cache, as in a fresh clone) and on the built page. Times are printed, not asserted:
// the targets live in `npm run bench` (bench/pageBench.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { launchChromium } from './browser';
import { clickButton, openLab, waitForState, type LabPage } from './lab';
import { check, type Case } from './runner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `npm start`'s server, with its own empty dependency cache (a fresh clone has none). */
async function serveDev(): Promise<{ url: string; close(): Promise<void> }> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-vite-'));
  const server = await createServer({ root, cacheDir, logLevel: 'warn', server: { host: '127.0.0.1', port: 5191, strictPort: false } });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the dev server did not report its address');
  return {
    url,
    async close() {
      await server.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Every main-frame navigation after the page first loaded: a dependency reload shows up here. */
function countReloads(lab: LabPage): () => number {
  let reloads = 0;
  lab.page.on('framenavigated', (frame) => {
    if (frame === lab.page.mainFrame()) reloads++;
  });
  return () => reloads;
}

/** The first Train of a fresh profile: measured backend named on each card, first points, runs side by side. */
async function firstTrain(url: string, where: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const lab = await openLab(browser.context, url);
    const reloads = countReloads(lab);
    const s0 = await lab.state();
    check(s0.presetId === 'duality-two-minutes', `the default preset is loaded, got ${s0.presetId}`);
    const t0 = Date.now();
    await clickButton(lab.page, 'Train');
    const chosen = await waitForState(lab, (s) => s.backendChoice?.state === 'chosen' || s.backendChoice?.state === 'failed', 60_000, '"auto" to choose a backend');
    const tChosen = Date.now() - t0;
    const choice = chosen.backendChoice;
    check(choice?.state === 'chosen', `auto chose a backend: ${JSON.stringify(choice)}`);
    check(/\d ms\/step/.test(choice.reason), `the reason gives the measured step time: ${choice.reason}`);
    // An emulated GPU is named as such and never chosen over a faster backend.
    for (const name of ['webgpu', 'webgl'])
      if (new RegExp(`${name}[^;]*software renderer`).test(choice.reason)) check(choice.backend !== name, `a software ${name} was not chosen: ${choice.reason}`);
    const cards = lab.page.getByTestId('backend-choice');
    await cards.first().waitFor();
    check((await cards.count()) === 3 && (await cards.allInnerTexts()).every((t) => t.includes(choice.reason)), 'every run card says what was chosen and why');

    const firstPoints = await waitForState(lab, (s) => s.runs.every((r) => r.evaluations >= 1), 90_000, 'every run to show its first point');
    const tFirst = Date.now() - t0;
    check(firstPoints.runs.every((r) => r.status === 'training' || r.status === 'queued'), 'no run has ended at its first point');
    // Side by side: every run steps before any reaches its second evaluation, and their epochs stay
    // within one evaluation interval (eval.every = 1 epoch) of each other.
    const moving = await waitForState(lab, (s) => s.runs.every((r) => r.step > 0), 120_000, 'every run to take steps');
    const tMoving = Date.now() - t0;
    check(moving.runs.every((r) => r.evaluations <= 2), `no run ran ahead to its third evaluation: ${JSON.stringify(moving.runs.map((r) => [r.id, r.evaluations]))}`);
    const epochs = moving.runs.map((r) => r.epoch);
    check(Math.max(...epochs) - Math.min(...epochs) <= 1, `epochs within one evaluation of each other: ${epochs.join(', ')}`);
    check(reloads() === 0, `the page did not reload under the first Train (${reloads()} navigations)`);
    check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
    console.log(`     ${where}: backend chosen after ${(tChosen / 1000).toFixed(1)} s (${choice.reason}); every first point after ${(tFirst / 1000).toFixed(1)} s; every run stepping after ${(tMoving / 1000).toFixed(1)} s`);
    await clickButton(lab.page, 'Stop');

    // The choice is remembered for this browser and model: the next Train does not measure again.
    await lab.page.reload();
    await lab.page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
    await clickButton(lab.page, 'Train');
    const again = await waitForState(lab, (s) => s.backendChoice?.state === 'chosen', 10_000, 'the remembered choice');
    check(again.backendChoice?.state === 'chosen' && again.backendChoice.measuredAt !== undefined && again.backendChoice.backend === choice.backend, `the second Train reuses the measured choice: ${JSON.stringify(again.backendChoice)}`);
    await clickButton(lab.page, 'Stop');
    await lab.page.close();
  } finally {
    await browser.close();
  }
}

export function frontDoorCases(previewUrl: string): Case[] {
  return [
    {
      name: 'front door (dev server, fresh clone and profile): the first Train trains, auto measures, runs move side by side',
      async fn() {
        const dev = await serveDev();
        try {
          await firstTrain(dev.url, 'dev server');
        } finally {
          await dev.close();
        }
      },
    },
    {
      name: 'front door (built page, fresh profile): the first Train trains, auto measures, runs move side by side',
      fn: () => firstTrain(previewUrl, 'built page'),
    },
  ];
}
