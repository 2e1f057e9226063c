// The lab end to end: the built page in headless Chromium, training for real in workers.
import { attackKey } from '../src/core/spec';
import { attackChecks, CHECK_TITLES, type CheckId } from '../src/core/train/attackChecks';
import { expect, test } from './fixtures';
import { expectNoLongLabScript, traceMainThread } from './mainThreadTrace';
import { tinySpec } from './tinySpec';

test('fresh page: default preset, valid form, Train enabled, invalid values refused with the reason', async ({
  lab,
  page,
  baseURL,
}) => {
  await lab.open();
  const s = await lab.state();
  expect(s.presetId, 'the default preset').toBe('duality-two-minutes');
  expect(s.issues, 'a fresh page has a valid spec').toEqual([]);
  expect(s.runs, 'and no runs').toEqual([]);
  const train = lab.button('Train');
  await expect(train).toBeEnabled();
  await expect(lab.runRows, 'three runs in the editor').toHaveCount(3);
  await lab.shot('fresh-page');
  const lr = lab.field('train.lr');
  await lr.locator('input').fill('-1');
  await expect(lr.getByRole('alert'), 'the reason is shown beside the field').toHaveText(
    /must be a number in \(0, 10\]/,
  );
  await expect(train, 'Train is refused with lr = -1').toBeDisabled();
  expect((await lab.state()).issues, 'the issue is in the store').toContainEqual(
    expect.objectContaining({ path: 'train.lr' }),
  );
  await lab.shot('invalid-lr');
  await lr.locator('input').fill('0.05');
  await expect(train).toBeEnabled();
  lab.expectNoErrors();
  // The page's own icon and metadata, and no request to another host.
  const origin = new URL(baseURL!).origin;
  await expect(page.locator('head meta[name="theme-color"]')).toHaveCount(1);
  await expect
    .poll(() => lab.requests.find((r) => r.url === `${origin}/favicon.svg`)?.status, {
      message: 'the SVG favicon is served',
    })
    .toBe(200);
  expect(
    lab.requests.filter((r) => !r.url.startsWith(`${origin}/`) && !/^(data|blob):/.test(r.url)),
    "no request leaves the page's origin",
  ).toEqual([]);
  expect(
    lab.requests.filter((r) => r.status >= 400 || r.status === 0),
    'every request is answered',
  ).toEqual([]);
});

test('SGD, SAM and AT train to the end on wasm: charts, robust accuracy per eps, trade-off, no long main-thread task', async ({
  lab,
}) => {
  const spec = tinySpec();
  await lab.open(spec);
  await expect(lab.button('Train')).toBeEnabled();
  // Traced from the Train click on (the locator's first use injects Playwright's script: before).
  const trace = await traceMainThread(lab.page);
  await lab.button('Train').click();
  const s = await lab.untilEnded(3, 240_000);
  const tasks = await trace.stop();
  for (const r of s.runs) {
    expect(r, `${r.id} ran to the end on wasm, evaluated at step 0 and after each epoch`).toMatchObject({
      status: 'done',
      backend: 'wasm',
      step: 16,
      totalSteps: 16,
      evaluations: 3,
    });
    for (const a of spec.eval.attacks) {
      const acc = r.lastMetrics?.robust[attackKey(a)];
      expect(acc, `${r.id} has robust accuracy at ${attackKey(a)}`).toBeGreaterThanOrEqual(0);
      expect(acc).toBeLessThanOrEqual(1);
    }
  }
  await expect
    .poll(async () => Number(await lab.chart('loss').getAttribute('data-points')), {
      message: 'the loss chart has points for every run',
    })
    .toBeGreaterThanOrEqual(3 * 10);
  await expect(lab.chart('loss').getByTestId('series-line'), 'three loss curves').toHaveCount(3);
  await expect(lab.chart('clean').getByTestId('series-line'), 'three clean-accuracy curves').toHaveCount(3);
  await expect(lab.chart('robust'), 'robust accuracy: one series per run per eps').toHaveAttribute('data-series', '6');
  await expect(lab.chart('robust').getByTestId('series-line'), 'six robust-accuracy curves').toHaveCount(6);
  const tradeoff = lab.chart('tradeoff');
  await expect(tradeoff, 'the trade-off scatter shows SGD, SAM and AT').toHaveAttribute('data-runs', 'sgd,sam,at');
  // In the plot, not the legend's shapes.
  await expect(
    tradeoff.getByRole('img', { name: 'clean versus robust accuracy' }).getByTestId('scatter-point'),
    'one trade-off point per run per eps',
  ).toHaveCount(6);
  // Each point is labelled with its run and has its run's path over the 3 evaluations behind it.
  await expect(tradeoff.getByTestId('tradeoff-label')).toHaveCount(6);
  expect(
    [...new Set(await tradeoff.getByTestId('tradeoff-label').allTextContents())].sort(),
    'trade-off points labelled by run',
  ).toEqual(['AT L∞ 4/255', 'SAM ρ=0.1', 'SGD']);
  const trails = () =>
    tradeoff.getByTestId('tradeoff-trail').evaluateAll((gs) =>
      gs.map((g) => ({
        evaluations: g.getAttribute('data-evaluations'),
        segments: (g.querySelector('path')?.getAttribute('d')?.match(/L/g) ?? []).length,
      })),
    );
  await expect
    .poll(trails, { message: 'one 3-evaluation path per point' })
    .toEqual(Array(6).fill({ evaluations: '3', segments: 2 }));
  // The axes fit the points: every point inside the plot, on a range no wider than it needs.
  const [x0, x1] = ((await tradeoff.getAttribute('data-x-domain')) ?? '').split(',').map(Number);
  const cleans = s.runs.map((r) => r.lastMetrics?.cleanAcc ?? NaN);
  for (const c of cleans) {
    expect(c, `clean accuracy within the x axis ${x0}-${x1}`).toBeGreaterThanOrEqual(x0);
    expect(c, `clean accuracy within the x axis ${x0}-${x1}`).toBeLessThanOrEqual(x1);
  }
  expect(x1 - x0, `the x axis ${x0}-${x1} is fitted to ${cleans}`).toBeLessThanOrEqual(
    Math.max(0.2, 2.5 * (Math.max(...cleans) - Math.min(...cleans))),
  );
  // The attack checks of each run's final evaluation, as the core judges its numbers: every check
  // measured (APGD and the probe ran), and the alert above the charts exactly when one is red.
  const panel = lab.page.locator('[data-attack-checks]');
  const expected = s.runs.map((r) =>
    attackChecks(
      spec.eval.attacks,
      r.lastMetrics && { ...r.lastMetrics, step: r.step, trainLoss: 0, trainAcc: 0 },
      spec.eval.subsetSize,
    ),
  );
  for (const id of Object.keys(CHECK_TITLES) as CheckId[]) {
    const cells = panel.locator(`tr[data-check="${id}"] td`);
    const want = expected.map((checks) => checks.find((c) => c.id === id)!);
    expect(
      want.map((c) => c.status),
      `${id} is measured for every run`,
    ).not.toContain('na');
    await expect(cells, `${id}: one verdict per run`).toHaveCount(3);
    expect(await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status'))), id).toEqual(
      want.map((c) => c.status),
    );
    expect(await cells.allTextContents(), `${id}: each verdict says its number`).toEqual(
      want.map((c) => `${c.status === 'pass' ? '✓' : '✗'} ${c.value}`),
    );
  }
  const failed = expected.flat().filter((c) => c.status === 'fail');
  const alert = lab.page.locator('[data-attack-checks-alert]');
  if (failed.length === 0) await expect(alert, 'no red check, no alert').toHaveCount(0);
  else
    await expect(alert, 'a red check is named above the charts').toContainText(
      failed.every((c) => c.id === 'gap') ? 'PGD overstates robustness' : 'Attack check failed',
    );
  await lab.shot('three-runs-done');
  // Asserted: the CPU time of the lab's scripts in each main-thread task (mainThreadTrace.ts says
  // why not wall time); the tasks over the budget either way are printed.
  expectNoLongLabScript(tasks, 'from the Train click to the end');
  lab.expectNoErrors();
});

test('Pause stops a run between steps; Resume continues from the same step', async ({ lab }) => {
  const spec = tinySpec((s) => {
    s.dataset.trainSize = 2048;
    s.train.batchSize = 16;
    s.train.epochs = 1;
    // Wide enough that 128 steps outlast the click: at width 4 the run could end before Pause landed.
    s.model.width = 16;
    s.eval.attacks = [{ norm: 'linf', eps: 2 / 255 }];
    s.runs = [{ id: 'sgd', method: 'sgd' }];
  });
  await lab.open(spec);
  await lab.button('Train').click();
  await lab.until('three steps', (s) => s.runs[0]?.step >= 3, 90_000);
  await lab.button('Pause').click();
  const paused = (await lab.until('the pause', (s) => s.runs[0].status === 'paused', 30_000)).runs[0];
  expect(paused.step, 'paused before the end').toBeLessThan(paused.totalSteps);
  await expect(lab.card('sgd')).toHaveAttribute('data-status', 'paused');
  await lab.shot('paused');
  // The page was drawn and photographed meanwhile: the worker took no step.
  expect((await lab.state()).runs[0], 'no step while paused').toMatchObject({ status: 'paused', step: paused.step });
  await lab.button('Resume').click();
  const resumed = (await lab.until('a step after resuming', (s) => s.runs[0].step > paused.step, 30_000)).runs[0];
  expect(resumed.status, 'training again').toBe('training');
  const end = (await lab.untilEnded(1, 120_000)).runs[0];
  expect(end, 'done after all 128 steps').toMatchObject({ status: 'done', step: 128, totalSteps: 128 });
  // Every step reported exactly once, in order: training went on from the paused step.
  expect(end.lossSteps, 'steps 1..128 once each').toEqual(Array.from({ length: 128 }, (_, i) => i + 1));
  lab.expectNoErrors();
});

test('a run with a huge learning rate is marked diverged while the others finish, and can be restarted', async ({
  lab,
}) => {
  const spec = tinySpec((s) => {
    s.model = { name: 'mlp', width: 4, depth: 1 };
    s.eval.attacks = [{ norm: 'linf', eps: 2 / 255 }];
    s.runs = [
      { id: 'wild', method: 'sgd', lr: 1e6 },
      { id: 'sgd', method: 'sgd' },
      { id: 'sam', method: 'sam', rho: 0.02 },
    ];
  });
  await lab.open(spec);
  await lab.button('Train').click();
  const s = await lab.untilEnded(3, 180_000);
  expect(
    s.runs.map((r) => [r.id, r.status, r.error]),
    'wild diverged without an error, sgd and sam finished beside it',
  ).toEqual([
    ['wild', 'diverged', undefined],
    ['sgd', 'done', undefined],
    ['sam', 'done', undefined],
  ]);
  const wild = lab.card('wild');
  await expect(wild, "wild's card shows diverged").toHaveAttribute('data-status', 'diverged');
  await expect(wild.getByRole('button', { name: 'Restart' }), "wild's card offers Restart").toBeVisible();
  await lab.shot('diverged');
  lab.expectNoErrors();
});

test('a long final evaluation says on its card what it is doing, and the run ends done', async ({ lab }) => {
  const spec = tinySpec((s) => {
    s.train.epochs = 1;
    s.eval.every = 2; // no evaluation but the step-0 one and the final one
    // The strong evaluation made long: many APGD iterations and restarts on the standing examples.
    s.eval.apgd = { enabled: true, steps: 100, restarts: 2, targets: 3 };
    s.runs = [{ id: 'sgd', method: 'sgd' }];
  });
  await lab.open(spec);
  await lab.button('Train').click();
  await expect(lab.card('sgd').getByTestId('run-activity'), 'the card names the attack it runs').toHaveText(
    /^final evaluation: APGD L∞ (2|8)\/255…$/,
    { timeout: 120_000 },
  );
  const r = (await lab.untilEnded(1, 300_000)).runs[0];
  expect(r, 'done, with APGD numbers').toMatchObject({ status: 'done', step: 8 });
  expect(Object.keys(r.lastMetrics!.robust).filter((k) => k.endsWith(':apgd'))).toHaveLength(2);
  await expect(lab.card('sgd').getByTestId('run-activity'), 'the activity is gone with the end').toHaveCount(0);
  lab.expectNoErrors();
});

test('WebGPU smoke run: a few steps on the webgpu backend (SwiftShader)', async ({ lab }) => {
  const spec = tinySpec((s) => {
    s.dataset.trainSize = 64;
    s.dataset.testSize = 32;
    s.train.epochs = 1;
    s.train.backend = 'webgpu';
    s.eval = {
      subsetSize: 32,
      attacks: [],
      pgdSteps: 1,
      pgdSchedule: 'cosine',
      every: 1,
      during: { subsetSize: 32, pgdSteps: 1 },
      apgd: s.eval.apgd,
    };
    s.runs = [{ id: 'sgd', method: 'sgd' }];
  });
  await lab.open(spec);
  await lab.button('Train').click();
  const r = (await lab.untilEnded(1, 300_000)).runs[0];
  await lab.shot('webgpu');
  expect(r, 'two steps done on webgpu').toMatchObject({ backend: 'webgpu', status: 'done', step: 2 });
  expect(r.lastMetrics?.cleanAcc, 'evaluated').toBeGreaterThanOrEqual(0);
});
