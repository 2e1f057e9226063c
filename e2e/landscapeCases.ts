// End-to-end cases of the loss landscapes: computed by each run's worker at the end of a short
// run, drawn for every run in both spaces, on demand ("Slice now") while paused and running, and
// shown again after a reload (saved with the run).
import type { BrowserContext } from 'playwright-core';
import type { LandscapeKind } from '../src/core/landscape/results';
import { check, settled, type Case } from './runner';
import { clickButton, ended, openLab, tinySpec, waitForState, type LabPage } from './lab';

// Small grids keep each landscape to a few seconds on wasm.
const GRID = { points1d: 5, points2d: 3, batchSize: 16, inputEps: 8 / 255 };
const EXPECTED: Record<Exclude<LandscapeKind, 'duality'>, number> = { 'weight-1d': 5, 'input-1d': 5, 'weight-2d': 9, 'input-2d': 9, sharpness: 1 };

const card = (lab: LabPage, id: string) => lab.page.locator(`.run-card[data-run="${id}"]`);

export function landscapeCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: 'landscapes: after a short run, 1-D and 2-D slices in weight and input space for every run',
      async fn() {
        const spec = tinySpec((s) => {
          s.dataset.trainSize = 128;
          s.train.epochs = 1;
          s.eval = { ...s.eval, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 2 };
          s.landscape = { ...GRID, when: 'end' };
        });
        const lab = await openLab(context, url, spec, '&parallel=3');
        await clickButton(lab.page, 'Train');
        const s = await waitForState(
          lab,
          (st) => st.runs.length === 3 && st.runs.every(ended) && st.runs.every((r) => (st.landscapes[r.id]?.slices.length ?? 0) > 0),
          150_000,
          'three runs to end with their landscapes',
        );
        for (const r of s.runs) {
          check(r.status === 'done', `${r.id} is done, got ${r.status} ${r.error ?? ''}`);
          const slices = s.landscapes[r.id].slices;
          check(slices.length === 1 && slices[0].trigger === 'end' && slices[0].step === r.totalSteps, `${r.id}: one landscape at the end, got ${JSON.stringify(slices)}`);
          check(JSON.stringify(slices[0].values) === JSON.stringify(EXPECTED), `${r.id}: values per kind ${JSON.stringify(slices[0].values)}`);
        }
        const section = lab.page.locator('.landscape-section');
        await section.waitFor();
        check((await settled(() => section.locator('[data-chart="weight-slice"]').getAttribute('data-series'), (v) => v === '3')) === '3', 'the weight-space 1-D chart overlays three runs');
        check((await settled(() => section.locator('[data-chart="input-slice"]').getAttribute('data-series'), (v) => v === '3')) === '3', 'the input-space 1-D chart overlays three runs');
        const heatmaps = section.locator('.landscape-heatmaps');
        check((await settled(() => heatmaps.count(), (n) => n === 2)) === 2, 'one row of small multiples per space');
        for (let i = 0; i < 2; i++) check((await heatmaps.nth(i).getAttribute('data-runs')) === '3', `heatmap row ${i} has three runs`);
        check((await heatmaps.locator('.color-legend').count()) === 2, 'one shared colour scale per space');
        check((await section.locator('.sharpness-table tbody tr').count()) === 3, 'a sharpness row per run');
        check(/passes of 16/.test(await card(lab, 'sgd').locator('.estimate').innerText()), 'the card shows the estimated cost');
        check(/last: \d/.test(await card(lab, 'sgd').locator('.measured').innerText()), 'the card shows the measured time');
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await lab.page.close();
      },
    },
    {
      name: 'landscapes: "Slice now" while paused (no step taken), while running, the slider steps through them, and they are back after a reload',
      async fn() {
        const spec = tinySpec((s) => {
          // Long enough (192 steps) that a slice asked for while running lands before the end on a fast machine.
          s.train.epochs = 24;
          s.eval = { ...s.eval, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 1, every: 12 };
          s.landscape = { ...GRID, when: 'never' };
          s.runs = [{ id: 'sgd', method: 'sgd' }];
        });
        const lab = await openLab(context, url, spec);
        await clickButton(lab.page, 'Train');
        await waitForState(lab, (st) => st.runs[0]?.step >= 2, 60_000, 'two steps');
        const sgd = card(lab, 'sgd');
        await sgd.getByRole('button', { name: 'Pause' }).click();
        const paused = await waitForState(lab, (st) => st.runs[0].status === 'paused', 30_000, 'the pause');
        await sgd.getByRole('button', { name: 'Slice now' }).click();
        const one = await waitForState(lab, (st) => st.landscapes.sgd?.slices.length === 1, 60_000, 'the landscape while paused');
        const first = one.landscapes.sgd.slices[0];
        check(first.trigger === 'manual' && first.step === paused.runs[0].step, `stamped at the paused step ${paused.runs[0].step}, got ${first.step}`);
        check(one.runs[0].status === 'paused' && one.runs[0].step === paused.runs[0].step, 'still paused at the same step');
        check(JSON.stringify(first.values) === JSON.stringify(EXPECTED), `values per kind ${JSON.stringify(first.values)}`);

        await sgd.getByRole('button', { name: 'Resume' }).click();
        await waitForState(lab, (st) => st.runs[0].status === 'training' && st.runs[0].step > first.step, 30_000, 'training again');
        await sgd.getByRole('button', { name: 'Slice now' }).click();
        const two = await waitForState(lab, (st) => st.landscapes.sgd?.slices.length === 2, 60_000, 'the landscape while running');
        const second = two.landscapes.sgd.slices[1];
        check(second.step > first.step && second.step < two.runs[0].totalSteps, `taken between steps of the running run, at ${second.step}`);
        const done = await waitForState(lab, (st) => ended(st.runs[0]), 90_000, 'the end');
        check(done.runs[0].status === 'done' && done.runs[0].step === done.runs[0].totalSteps, 'the run still trains to the end');

        const slider = lab.page.locator('.landscape-slider input[type=range]');
        check((await slider.getAttribute('max')) === '1', 'the slider has the two recorded landscapes');
        await slider.fill('0');
        check(/\(latest\)/.test(await lab.page.locator('.landscape-slider output').innerText()) === false, 'the slider shows an earlier landscape');

        // The finished landscapes are saved with the run: a reload shows the same ones again.
        const before = JSON.stringify((await lab.state()).landscapes.sgd.slices);
        await lab.page.reload();
        await lab.page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
        const back = await waitForState(lab, (st) => st.runs.length === 1 && (st.landscapes.sgd?.slices.length ?? 0) > 0, 10_000, 'the landscapes after the reload');
        check(JSON.stringify(back.landscapes.sgd.slices) === before, `the same landscapes (steps, kinds, values) after the reload: ${JSON.stringify(back.landscapes.sgd.slices)}, before ${before}`);
        check(back.runs[0].status === 'done' && back.landscapes.sgd.queued === 0 && back.landscapes.sgd.error === undefined, 'the run is done, nothing queued, no error');
        await lab.page.locator('.landscape-section').waitFor();
        check((await settled(() => slider.getAttribute('max'), (v) => v === '1')) === '1', 'the slider has the two landscapes again');
        check((await sgd.locator('.landscape-controls').getAttribute('data-landscapes')) === '2', 'the card counts the two landscapes');
        // The weights did not survive the reload: "Slice now" and the weights export are off, and say why.
        const sliceNow = sgd.getByRole('button', { name: 'Slice now' });
        check(await sliceNow.isDisabled(), '"Slice now" is disabled after the reload');
        const reasonId = await sliceNow.getAttribute('aria-describedby');
        const reason = lab.page.locator(`[id="${reasonId}"]`);
        check(reasonId !== null && (await reason.isVisible()) && /not kept after a reload.*train again/.test(await reason.innerText()), `the reason is shown and describes the button: ${reasonId}`);
        const weights = lab.page.locator('.export').getByRole('button', { name: 'weights of sgd' });
        check(await weights.isDisabled(), 'the weights export is disabled after the reload');
        check((await weights.getAttribute('aria-describedby')) !== null, 'and described by its reason');
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await lab.page.close();
      },
    },
  ];
}
