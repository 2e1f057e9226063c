// Share links, the saved history (reloads), exports read back, the results link, import, no
// request to another origin, and the CLI's --browser runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsHeader } from '../src/core/export/safetensors';
import type { ExperimentSpec } from '../src/core/spec';
import { parseResultsText } from '../src/core/train/resultsFile';
import { encodeShareHash } from '../src/state/shareUrl';
import { expect, test } from './fixtures';
import { LabPage } from './labPage';
import { tinySpec } from './tinySpec';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
  expect([...bytes.subarray(0, 8)], 'the PNG signature').toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('ascii'), 'the PNG starts with its IHDR chunk').toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Each run's status as saved in the page's IndexedDB (database duality-lab, store runs). */
const savedStatuses = (lab: LabPage) =>
  lab.page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const open = indexedDB.open('duality-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('runs').objectStore('runs').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            resolve(
              Object.fromEntries(
                (all.result as { id: string; view: { status: string } }[]).map((r) => [r.id, r.view.status]),
              ),
            );
          };
        };
      }),
  );

const linkField = (lab: LabPage) => lab.page.getByRole('textbox', { name: 'link to this experiment' });

test('share link: the form shows its values, edits rewrite the hash without history entries, old links keep their PGD step, a damaged link gives one message', async ({
  lab,
  context,
}) => {
  const spec = tinySpec((s) => {
    s.seed = 321;
    s.train.lr = 0.07;
  });
  await lab.openHash(encodeShareHash(spec), '&parallel=1');
  expect((await lab.state()).notice, 'a clean link gives no message').toBeUndefined();
  await expect(lab.field('train.lr').locator('input'), 'the form shows lr 0.07').toHaveValue('0.07');
  await expect(lab.field('seed').locator('input'), 'the form shows seed 321').toHaveValue('321');
  await expect(lab.runRows, 'the three runs of the link').toHaveCount(3);
  const historyLength = await lab.page.evaluate(() => history.length);
  await lab.field('train.lr').locator('input').fill('0.09');
  const edited = encodeShareHash({ ...spec, train: { ...spec.train, lr: 0.09 } });
  await expect
    .poll(() => lab.page.evaluate(() => location.hash), { message: 'the hash is the edited spec' })
    .toBe(edited);
  expect(await lab.page.evaluate(() => history.length), 'editing adds no history entry (replaceState)').toBe(
    historyLength,
  );
  await expect(linkField(lab), 'the Copy link field holds the link').toHaveValue(
    new RegExp(`${edited.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );

  await expect(lab.field('eval.pgdSchedule').locator('select'), 'a current link: the cosine PGD step').toHaveValue(
    'cosine',
  );
  // A link made before the PGD step schedule (spec version 1) keeps Madry's fixed step: it runs as it ran.
  const v1 = { ...structuredClone(spec), version: 1, eval: { ...spec.eval } } as Record<string, unknown>;
  delete (v1.eval as Record<string, unknown>).pgdSchedule;
  const old = new LabPage(await context.newPage());
  await old.openHash(encodeShareHash(v1 as unknown as ExperimentSpec), '&parallel=1');
  expect((await old.state()).notice, 'an old link is migrated without a message').toBeUndefined();
  await expect(old.field('eval.pgdSchedule').locator('select'), 'a version-1 link: the fixed step').toHaveValue(
    'madry',
  );
  await expect(old.field('seed').locator('input'), 'and the rest of it as it was').toHaveValue('321');
  old.expectNoErrors();
  // A version-2 link's cosine started at eps; it keeps that schedule, now named 'cosine-eps'.
  const v2 = { ...structuredClone(spec), version: 2, eval: { ...spec.eval, pgdSchedule: 'cosine' } };
  const second = new LabPage(await context.newPage());
  await second.openHash(encodeShareHash(v2 as ExperimentSpec), '&parallel=1');
  expect((await second.state()).notice, 'a version-2 link is migrated without a message').toBeUndefined();
  await expect(
    second.field('eval.pgdSchedule').locator('select'),
    "a version-2 link: version 2's cosine, from eps",
  ).toHaveValue('cosine-eps');
  second.expectNoErrors();

  const damaged = new LabPage(await context.newPage());
  await damaged.openHash(encodeShareHash(spec).slice(0, -15), '&parallel=1');
  expect((await damaged.state()).notice, 'one message for a damaged link').toMatch(/damaged or truncated/);
  await expect(damaged.page.getByRole('status').filter({ hasText: 'damaged or truncated' }), 'shown once').toHaveCount(
    1,
  );
  damaged.expectNoErrors();
});

test('history and exports: reload mid-way (interrupted) and after the end (done), every export read back, results link, import; no other origin contacted', async ({
  lab,
  context,
}) => {
  const foreign: string[] = [];
  await context.route('**', (route) => {
    const url = route.request().url();
    const host = new URL(url).hostname;
    if (host === '127.0.0.1' || host === 'localhost' || url.startsWith('data:') || url.startsWith('blob:'))
      return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const spec = historySpec();
  await lab.openHash(encodeShareHash(spec), '&parallel=1');
  await lab.button('Train').click();
  // The runs step side by side: sam is paused part-way (its own card's Pause), sgd goes on to its
  // end; then a reload cuts sam off (the tab's workers die with the page).
  await lab.until('sam to start', (st) => st.runs[1]?.step > 0 && st.runs[1].status === 'training', 180_000);
  await lab
    .card('sam')
    .getByRole('button', { name: /^Pause/ })
    .click();
  await lab.until('sam to pause', (st) => st.runs[1].status === 'paused', 30_000);
  await lab.until('sgd to end while sam is paused', (st) => st.runs[0].status === 'done', 180_000);
  // A status change is saved at once (progress at most once a second): both are in the database.
  await expect
    .poll(() => savedStatuses(lab), { message: 'the saved statuses' })
    .toEqual({ sgd: 'done', sam: 'paused' });
  const before = await lab.state();
  expect(before.runs[1].step, 'sam is part-way').toBeLessThan(before.runs[1].totalSteps);
  await lab.reload();
  const cut = await lab.until('the experiment to come back after the reload', (st) => st.runs.length === 2, 15_000);
  expect(cut.runs[0], `sgd is done with its ${before.runs[0].evaluations} evaluations`).toMatchObject({
    status: 'done',
    evaluations: before.runs[0].evaluations,
  });
  expect(cut.runs[1].status, 'sam is interrupted').toBe('interrupted');
  expect(cut.runs[1].evaluations, 'sam keeps the evaluations it computed').toBeGreaterThanOrEqual(1);
  expect(cut.runs[1].step, 'and its steps').toBeGreaterThan(0);
  await expect(
    lab.region('history').getByRole('listitem').first(),
    'the history list shows the interrupted run',
  ).toContainText('interrupted');

  // Train again to the end, export everything while the workers still hold the models.
  await lab.button('Train').click();
  const done = await lab.untilEnded(2, 180_000);
  expect(
    done.runs.map((r) => r.status),
    'both runs done',
  ).toEqual(['done', 'done']);

  const json = await lab.download('Results JSON');
  const parsed = parseResultsText(json.bytes.toString('utf8'));
  if (!parsed.ok) throw new Error(`the results file does not read back: ${parsed.reason}`);
  const results = parsed.results;
  expect(results.spec, 'the results hold the spec').toEqual(spec);
  for (const [i, r] of results.runs.entries()) {
    const st = done.runs[i];
    expect([r.id, r.status, r.history.length], `run ${r.id} matches the store`).toEqual([
      st.id,
      st.status,
      st.evaluations,
    ]);
    expect(r.history.at(-1)!.cleanAcc, `run ${r.id}: last clean accuracy matches`).toBe(st.lastMetrics!.cleanAcc);
  }

  const csv = (await lab.download('Curves CSV')).bytes.toString('utf8').trim().split('\n');
  expect(csv[0], 'the CSV header').toBe('run,method,curve,epoch,step,value');
  const expectedRows = results.runs.reduce(
    (n, r) =>
      n +
      r.history.reduce(
        (m, p) =>
          m +
          3 +
          (p.cleanLoss !== undefined ? 1 : 0) +
          Object.keys(p.robust).length +
          (p.probe ? (p.probe.largeEpsAcc !== undefined ? 2 : 1) : 0),
        0,
      ),
    0,
  );
  expect(csv.length - 1, 'one CSV row per curve point').toBe(expectedRows);
  const last = results.runs[1].history.at(-1)!;
  expect(csv, "the CSV holds sam's last clean accuracy").toContain(
    `sam,sam,cleanAcc,${last.epoch},${last.step},${last.cleanAcc}`,
  );

  const png = await lab.download('Clean accuracy PNG');
  expect(pngSize(png.bytes), 'the PNG is 960x460 (2x the chart)').toEqual({ width: 960, height: 460 });
  const svg = (await lab.download('Loss SVG')).bytes.toString('utf8');
  expect(svg.startsWith('<?xml') && /<svg[^>]*width="480"/.test(svg), 'the SVG is a standalone chart').toBe(true);
  expect(svg.match(/class="series-line/g) ?? [], 'with two curves').toHaveLength(2);

  const weights = await lab.download('weights of sam');
  expect(weights.file.suggestedFilename(), 'the weights file name').toBe('duality-lab-sam.safetensors');
  const header = readSafetensorsHeader(new Uint8Array(weights.bytes));
  expect(header.tensors['conv1.weight']?.shape, 'conv1.weight is [cOut, cIn, kh, kw]').toEqual([4, 3, 3, 3]);
  expect(header.tensors['fc2.weight']?.shape, 'fc2.weight is [out, in] = [8 shapes, 16]').toEqual([8, 16]);
  expect(header.metadata.run, 'the metadata names the run').toBe('sam');

  // The results link (small enough to carry the results) shows the curves without training.
  await expect(linkField(lab), 'the link carries the results').toHaveAttribute('data-with-results', 'yes');
  const resultsLink = await linkField(lab).inputValue();
  await lab.reload();
  const after = await lab.until('the experiment after the reload', (st) => st.runs.length === 2, 15_000);
  expect(
    after.runs.map((r) => [r.status, r.evaluations]),
    'after the reload both runs are done with all their evaluations',
  ).toEqual(done.runs.map((r) => ['done', r.evaluations]));
  await lab.page.close();

  const viewer = new LabPage(await context.newPage());
  await viewer.openHash(resultsLink.slice(resultsLink.indexOf('#')), '&parallel=1');
  const shown = await viewer.until('the results of the link', (st) => st.runs.length === 2, 15_000);
  expect(
    shown.runs.map((r) => [r.status, r.evaluations, r.backend]),
    'the link shows both finished runs',
  ).toEqual(done.runs.map((r) => ['done', r.evaluations, 'wasm']));
  await expect(viewer.chart('clean').getByTestId('series-line'), 'the clean-accuracy curves are drawn').toHaveCount(2);
  await expect(viewer.button('Pause'), 'nothing trains').toBeDisabled();
  expect(
    (await viewer.state()).runs.map((r) => r.status),
    'nothing trains',
  ).toEqual(['done', 'done']);

  // Import: the results file becomes a finished experiment; a malformed file is refused with the reason.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-import-'));
  const bad = JSON.parse(json.bytes.toString('utf8'));
  bad.runs[0].history[1].cleanAcc = 'high';
  fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
  fs.writeFileSync(path.join(dir, 'good.json'), json.bytes);
  const importInput = viewer.page.getByLabel('import results file');
  await importInput.setInputFiles(path.join(dir, 'bad.json'));
  await expect(viewer.region('history').getByRole('alert'), 'the reason is shown').toHaveText(
    /bad.json was not imported: runs\[0\]\.history\[1\]\.cleanAcc: must be a number/,
  );
  await importInput.setInputFiles(path.join(dir, 'good.json'));
  await expect(viewer.region('history').getByRole('listitem').filter({ hasText: 'good' })).toBeVisible();
  const imported = await viewer.until('the import to be shown', (st) => st.runs.length === 2, 15_000);
  expect(
    imported.runs.map((r) => [r.status, r.evaluations]),
    'the import is shown as a finished experiment',
  ).toEqual(done.runs.map((r) => ['done', r.evaluations]));
  fs.rmSync(dir, { recursive: true, force: true });
  lab.expectNoErrors();
  viewer.expectNoErrors();
  expect(foreign, 'no request to another origin').toEqual([]);
});

test('CLI --browser: a tiny spec runs to the end in headless Chromium and writes valid results', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-cli-'));
  try {
    const spec = tinySpec((s) => {
      s.train.epochs = 1;
      s.runs = [{ id: 'sgd', method: 'sgd' }];
    });
    fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
    const out = path.join(dir, 'results.json');
    const r = spawnSync(
      'npx',
      ['tsx', 'scripts/lab.ts', 'run', path.join(dir, 'spec.json'), '--browser', '--out', out],
      { cwd: root, encoding: 'utf8', timeout: 240_000 },
    );
    expect(r.status, `exit 0: ${r.stderr}`).toBe(0);
    expect(r.stderr, 'a progress bar ends done on wasm').toMatch(/sgd +\[#+\] 100% done on wasm/);
    const read = parseResultsText(fs.readFileSync(out, 'utf8'));
    if (!read.ok) throw new Error(`invalid results: ${read.reason}`);
    expect(
      [read.results.runs[0].status, read.results.runs[0].history.length, read.results.backend],
      'valid results: done, 2 evaluations, on wasm',
    ).toEqual(['done', 2, 'wasm']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
