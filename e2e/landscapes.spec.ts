// The loss landscapes end to end: computed by each run's worker at the end of a short run, drawn
// for every run in both spaces, on demand ("Slice now") while paused and running, and shown again
// after a reload (saved with the run).
import type { LandscapeKind } from '../src/core/landscape/results';
import { expect, test } from './fixtures';
import { ended, type LabPage } from './labPage';
import { tinySpec } from './tinySpec';

// Small grids keep each landscape to a few seconds on wasm.
const GRID = { points1d: 5, points2d: 3, batchSize: 16, inputEps: 8 / 255 };
const EXPECTED: Record<Exclude<LandscapeKind, 'duality'>, number> = {
  'weight-1d': 5,
  'input-1d': 5,
  'weight-2d': 9,
  'input-2d': 9,
  sharpness: 1,
};

const section = (lab: LabPage) => lab.region('loss landscapes and sharpness');

test('landscapes: after a short run, 1-D and 2-D slices in weight and input space for every run', async ({ lab }) => {
  const spec = tinySpec((s) => {
    s.dataset.trainSize = 128;
    s.train.epochs = 1;
    s.eval = { ...s.eval, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 2 };
    s.landscape = { ...GRID, when: 'end' };
  });
  await lab.open(spec, '&parallel=3');
  await lab.button('Train').click();
  const s = await lab.until(
    'three runs to end with their landscapes',
    (st) => st.runs.length === 3 && st.runs.every((r) => ended(r) && (st.landscapes[r.id]?.slices.length ?? 0) > 0),
    240_000,
  );
  for (const r of s.runs) {
    expect(r.status, `${r.id} is done ${r.error ?? ''}`).toBe('done');
    expect(
      s.landscapes[r.id].slices.map((x) => [x.trigger, x.step, x.values]),
      `${r.id}: one landscape at the end, with its values per kind`,
    ).toEqual([['end', r.totalSteps, EXPECTED]]);
  }
  const landscapes = section(lab);
  await expect(
    landscapes.locator('[data-chart="weight-slice"]'),
    'the weight-space 1-D chart overlays three runs',
  ).toHaveAttribute('data-series', '3');
  await expect(
    landscapes.locator('[data-chart="input-slice"]'),
    'the input-space 1-D chart overlays three runs',
  ).toHaveAttribute('data-series', '3');
  const heatmaps = landscapes.getByTestId('landscape-heatmaps');
  await expect(heatmaps, 'one row of small multiples per space, with three runs each').toHaveCount(2);
  for (let i = 0; i < 2; i++) await expect(heatmaps.nth(i)).toHaveAttribute('data-runs', '3');
  await expect(heatmaps.getByTestId('color-legend'), 'one shared colour scale per space').toHaveCount(2);
  await expect(
    landscapes.getByTestId('sharpness-table').locator('tbody').getByRole('row'),
    'a sharpness row per run',
  ).toHaveCount(3);
  await expect(lab.card('sgd').getByTestId('landscape-estimate'), 'the card shows the estimated cost').toContainText(
    /passes of 16/,
  );
  await expect(lab.card('sgd').getByTestId('landscape-measured'), 'the card shows the measured time').toContainText(
    /last: \d/,
  );
  lab.expectNoErrors();
});

test('landscapes: "Slice now" while paused (no step taken), while running, the slider steps through them, and they are back after a reload', async ({
  lab,
}) => {
  const spec = tinySpec((s) => {
    // Long enough (192 steps) that a slice asked for while running lands before the end on a fast machine.
    s.train.epochs = 24;
    s.eval = { ...s.eval, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 1, every: 12 };
    s.landscape = { ...GRID, when: 'never' };
    s.runs = [{ id: 'sgd', method: 'sgd' }];
  });
  await lab.open(spec);
  await lab.button('Train').click();
  await lab.until('two steps', (st) => st.runs[0]?.step >= 2, 90_000);
  const sgd = lab.card('sgd');
  await sgd.getByRole('button', { name: 'Pause' }).click();
  const paused = (await lab.until('the pause', (st) => st.runs[0].status === 'paused', 30_000)).runs[0];
  await sgd.getByRole('button', { name: 'Slice now' }).click();
  const one = await lab.until('the landscape while paused', (st) => st.landscapes.sgd?.slices.length === 1, 90_000);
  const first = one.landscapes.sgd.slices[0];
  expect(
    [first.trigger, first.step, first.values],
    `stamped at the paused step ${paused.step}, with its values per kind`,
  ).toEqual(['manual', paused.step, EXPECTED]);
  expect(one.runs[0], 'still paused at the same step').toMatchObject({ status: 'paused', step: paused.step });

  await sgd.getByRole('button', { name: 'Resume' }).click();
  await lab.until('training again', (st) => st.runs[0].status === 'training' && st.runs[0].step > first.step, 30_000);
  await sgd.getByRole('button', { name: 'Slice now' }).click();
  const two = await lab.until('the landscape while running', (st) => st.landscapes.sgd?.slices.length === 2, 90_000);
  const second = two.landscapes.sgd.slices[1];
  expect(second.step, 'taken between steps of the running run').toBeGreaterThan(first.step);
  expect(second.step).toBeLessThan(two.runs[0].totalSteps);
  const done = (await lab.untilEnded(1, 180_000)).runs[0];
  expect(done, 'the run still trains to the end').toMatchObject({ status: 'done', step: done.totalSteps });

  const slider = section(lab).getByTestId('landscape-slider');
  await expect(slider.getByRole('slider'), 'the slider has the two recorded landscapes').toHaveAttribute('max', '1');
  await slider.getByRole('slider').fill('0');
  await expect(slider.locator('output'), 'the slider shows an earlier landscape').not.toContainText('(latest)');

  // The finished landscapes are saved with the run: a reload shows the same ones again.
  const before = (await lab.state()).landscapes.sgd.slices;
  await lab.reload();
  const back = await lab.until(
    'the landscapes after the reload',
    (st) => st.runs.length === 1 && (st.landscapes.sgd?.slices.length ?? 0) > 0,
    15_000,
  );
  expect(back.landscapes.sgd.slices, 'the same landscapes (steps, kinds, values) after the reload').toEqual(before);
  expect(back.runs[0].status, 'the run is done').toBe('done');
  expect(back.landscapes.sgd, 'nothing queued, no error').toMatchObject({ queued: 0, error: undefined });
  await expect(slider.getByRole('slider'), 'the slider has the two landscapes again').toHaveAttribute('max', '1');
  await expect(sgd.getByTestId('landscape-controls'), 'the card counts the two landscapes').toHaveAttribute(
    'data-landscapes',
    '2',
  );
  // The weights did not survive the reload: "Slice now" and the weights export are off, and say why.
  const sliceNow = sgd.getByRole('button', { name: 'Slice now' });
  await expect(sliceNow, '"Slice now" is disabled after the reload').toBeDisabled();
  await expect(sliceNow, 'the reason is shown and describes the button').toHaveAccessibleDescription(
    /not kept after a reload.*train again/,
  );
  const reasonId = await sliceNow.getAttribute('aria-describedby');
  await expect(lab.page.locator(`[id="${reasonId}"]`), 'the reason is visible').toBeVisible();
  const weights = lab.region('export').getByRole('button', { name: 'weights of sgd' });
  await expect(weights, 'the weights export is disabled after the reload').toBeDisabled();
  await expect(weights, 'and described by its reason').toHaveAttribute('aria-describedby', /.+/);
  lab.expectNoErrors();
});
