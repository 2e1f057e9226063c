// The front door, as a new user meets it: a fresh browser profile (every case has one), the
// default preset with the backend on "auto", one click on Train, on the dev server that `npm start`
// runs (with an empty dependency cache, as in a fresh clone) and on the built page. Times are
// printed, not asserted: the targets live in `npm run bench` (bench/pageBench.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { expect, test as base } from './fixtures';
import type { LabPage } from './labPage';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `npm start`'s server with its own empty dependency cache, started by the case that uses it (a
 * webServer would have finished its dependency scan before the page first asks).
 */
const test = base.extend<object, { devServer: string }>({
  devServer: [
    async ({}, use) => {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-vite-'));
      const server = await createServer({
        root,
        cacheDir,
        logLevel: 'warn',
        server: { host: '127.0.0.1', port: 5191, strictPort: false },
      });
      await server.listen();
      const url = server.resolvedUrls?.local[0];
      if (!url) throw new Error('the dev server did not report its address');
      await use(url);
      await server.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

/** The first Train of a fresh profile: measured backend named on each card, first points, runs side by side. */
async function firstTrain(lab: LabPage, base: string, where: string): Promise<void> {
  await lab.open(undefined, '', base);
  // Every main-frame navigation after the page first loaded: a dependency reload shows up here.
  let reloads = 0;
  lab.page.on('framenavigated', (frame) => {
    if (frame === lab.page.mainFrame()) reloads++;
  });
  expect((await lab.state()).presetId, 'the default preset is loaded').toBe('duality-two-minutes');
  const t0 = Date.now();
  await lab.button('Train').click();
  const choice = (
    await lab.until(
      '"auto" to choose a backend',
      (s) => s.backendChoice?.state === 'chosen' || s.backendChoice?.state === 'failed',
      90_000,
    )
  ).backendChoice;
  const tChosen = Date.now() - t0;
  if (choice?.state !== 'chosen') throw new Error(`auto chose no backend: ${JSON.stringify(choice)}`);
  expect(choice.reason, 'the reason gives the measured step time').toMatch(/\d ms\/step/);
  // An emulated GPU is named as such and never chosen over a faster backend.
  for (const name of ['webgpu', 'webgl']) {
    if (new RegExp(`${name}[^;]*software renderer`).test(choice.reason))
      expect(choice.backend, `a software ${name} was not chosen: ${choice.reason}`).not.toBe(name);
  }
  const cards = lab.page.getByTestId('backend-choice');
  await expect(cards, 'a card per run').toHaveCount(3);
  await expect(cards, 'every run card says what was chosen and why').toContainText(Array(3).fill(choice.reason));

  const firstPoints = await lab.until(
    'every run to show its first point',
    (s) => s.runs.every((r) => r.evaluations >= 1),
    120_000,
  );
  const tFirst = Date.now() - t0;
  expect(
    firstPoints.runs.map((r) => r.status),
    'no run has ended at its first point',
  ).toEqual(firstPoints.runs.map((r) => (r.status === 'queued' ? 'queued' : 'training')));
  // Side by side: every run steps before any reaches its third evaluation, and their epochs stay
  // within one evaluation interval (eval.every = 1 epoch) of each other.
  const moving = await lab.until('every run to take steps', (s) => s.runs.every((r) => r.step > 0), 180_000);
  const tMoving = Date.now() - t0;
  for (const r of moving.runs)
    expect(r.evaluations, `${r.id} did not run ahead to its third evaluation`).toBeLessThanOrEqual(2);
  const epochs = moving.runs.map((r) => r.epoch);
  expect(
    Math.max(...epochs) - Math.min(...epochs),
    `epochs within one evaluation of each other: ${epochs.join(', ')}`,
  ).toBeLessThanOrEqual(1);
  expect(reloads, 'the page did not reload under the first Train').toBe(0);
  lab.expectNoErrors();
  console.log(
    `${where}: backend chosen after ${(tChosen / 1000).toFixed(1)} s (${choice.reason}); every first point after ${(tFirst / 1000).toFixed(1)} s; every run stepping after ${(tMoving / 1000).toFixed(1)} s`,
  );
  await lab.button('Stop').click();

  // The choice is remembered for this browser and model: the next Train does not measure again.
  await lab.reload();
  await lab.button('Train').click();
  const again = (await lab.until('the remembered choice', (s) => s.backendChoice?.state === 'chosen', 15_000))
    .backendChoice;
  expect(again, 'the second Train reuses the measured choice').toMatchObject({
    state: 'chosen',
    backend: choice.backend,
    measuredAt: expect.anything(),
  });
  await lab.button('Stop').click();
}

test('front door (dev server, fresh clone and profile): the first Train trains, auto measures, runs move side by side', async ({
  lab,
  devServer,
}) => {
  await firstTrain(lab, devServer, 'dev server');
});

test('front door (built page, fresh profile): the first Train trains, auto measures, runs move side by side', async ({
  lab,
}) => {
  await firstTrain(lab, '/', 'built page');
});
