// The classroom on a projector (issue 19): at 1366x768 and 1920x1080 in presentation mode, every
// lesson step opens with its recorded curves (within 1 s), and its text, chart and controls fit the
// screen with no SVG label outside its chart; every step replays to its end, and a replay ends on
// the recorded file's final numbers;
// "Train it live" draws live curves over the recording; the handout prints on one page.
// Screenshots and the handout PDF are kept in e2e/artifacts/ to be looked at.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { lessonSteps } from '../src/core/lesson';
import { axeScan } from './axe';
import { expect, test } from './fixtures';
import type { LabPage } from './labPage';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const SCREENS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
/** The bound: a step's recorded picture is drawn within 1 s of opening it. */
const FIRST_PICTURE_MS = 1000;
const steps = lessonSteps();

const stage = (page: Page) => page.getByRole('region', { name: /^step chart:/ });
const recordedCharts = (page: Page) => stage(page).locator('[data-panel]:not([data-recorded="0"])');

/** Boxes that leave the window (something needs a scroll), and SVG texts outside their chart's SVG. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    if (window.scrollY !== 0) out.push(`the page is scrolled by ${window.scrollY}px`);
    const must: [string, Element[]][] = [
      ['the step text', [...document.querySelectorAll('[aria-current="step"]')]],
      ['the chart', [...document.querySelectorAll('[aria-label^="step chart:"] [data-panel]')]],
      ['the lesson controls', [...document.querySelectorAll('[role="group"][aria-label="lesson steps"]')]],
      ['the replay control', [...document.querySelectorAll('[role="group"][aria-label="replay the recording"]')]],
    ];
    for (const [what, els] of must) {
      if (els.length === 0) out.push(`${what} is missing`);
      for (const el of els) {
        const r = el.getBoundingClientRect();
        if (r.top < 0 || r.left < 0 || r.bottom > vh + 0.5 || r.right > vw + 0.5)
          out.push(
            `${what} at ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)} leaves the ${vw}x${vh} window`,
          );
      }
    }
    for (const svg of document.querySelectorAll('svg')) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.width === 0) continue;
        if (
          r.left < box.left - 0.5 ||
          r.right > box.right + 0.5 ||
          r.top < box.top - 0.5 ||
          r.bottom > box.bottom + 0.5
        ) {
          const chart = svg.closest('[data-chart],[data-panel]');
          out.push(
            `"${t.textContent}" overflows its chart ${chart?.getAttribute('data-chart') ?? chart?.getAttribute('data-panel') ?? ''}`,
          );
        }
      }
    }
    return out;
  });
}

/** Opens the classroom in presentation mode at `size`; returns when Classroom was clicked. */
async function openPresentation(lab: LabPage, size: { width: number; height: number }): Promise<number> {
  await lab.open();
  await lab.page.setViewportSize(size);
  await lab.page.getByRole('button', { name: 'Presentation mode' }).click();
  const t0 = Date.now();
  await lab.page.getByRole('button', { name: 'Classroom', exact: true }).click();
  return t0;
}

/** Milliseconds from `t0` until the current step's chart draws recorded curves; fails past the bound. */
async function recordedDrawn(page: Page, stepId: string, t0: number): Promise<number> {
  await expect(stage(page)).toHaveAttribute('data-step', stepId);
  await expect(recordedCharts(page).first()).toBeVisible({ timeout: FIRST_PICTURE_MS });
  return Date.now() - t0;
}

for (const size of SCREENS) {
  test(`presentation ${size.width}x${size.height}: every step shows its recording within 1 s, text, chart and controls on one screen, no label outside its chart, axe clean`, async ({
    lab,
    page,
  }) => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const timings = [`opened: ${await recordedDrawn(page, steps[0].id, await openPresentation(lab, size))} ms`];
    for (const [i, step] of steps.entries()) {
      if (i > 0) {
        const t0 = Date.now();
        await lab.pressOnPage('n');
        timings.push(`${step.id}: ${await recordedDrawn(page, step.id, t0)} ms`);
      }
      // The mouse away from the view bar, which shows on hover.
      await page.mouse.move(size.width - 2, size.height - 2);
      await expect
        .poll(() => layoutProblems(page), { message: `${step.id} at ${size.width}x${size.height}` })
        .toEqual([]);
      await page.screenshot({
        path: path.join(ARTIFACTS, `presentation-${size.width}x${size.height}-${i + 1}-${step.id}.png`),
      });
      await expect(page.getByTestId('recorded-badge'), 'the badge says where the recording came from').toHaveText(
        /^recorded on \d{4}-\d{2}-\d{2}, wasm, seed \d+$/,
      );
      await expect(page.getByTestId('live-badge'), 'nothing is called live before training').toHaveCount(0);
      if (i === 0 || step.id === 'tradeoff')
        expect(await axeScan(page), `axe in presentation mode at ${step.id}`).toEqual([]);
    }
    test.info().annotations.push({ type: 'recorded curves drawn after', description: timings.join(', ') });
    console.log(`${size.width}x${size.height} recorded curves drawn after: ${timings.join(', ')}`);
    lab.expectNoErrors();
  });
}

test("presentation: a replay (20x, scrub bar) ends on the recorded file's final numbers; Train it live draws live curves over the recording", async ({
  lab,
  page,
}) => {
  await openPresentation(lab, SCREENS[0]);
  await lab.pressOnPage('n'); // SGD under attack: one run, clean and robust curves
  await expect(stage(page)).toHaveAttribute('data-step', 'sgd-attacked');
  const chart = stage(page).locator('[data-panel]');
  await expect(chart).not.toHaveAttribute('data-recorded', '0');
  const full = await chart.getAttribute('data-recorded');
  const recordedPoints = chart.locator('[data-series="recorded"] circle');
  const file = (await page.evaluate(async () => (await fetch('recorded/lesson-sgd-attacked.json')).json())) as {
    results: { runs: { history: { cleanAcc: number; robust: Record<string, number> }[] }[] };
  };
  const history = file.results.runs[0].history;
  const last = history[history.length - 1];
  // The step's chart draws PGD's curves; APGD's numbers (keys ending ':apgd') are in the attack checks.
  const pgd = Object.keys(last.robust).filter((k) => !k.endsWith(':apgd'));
  const curves = 1 + pgd.length;
  await expect(recordedPoints, 'the whole recording at once').toHaveCount(curves * history.length);

  const scrub = page.getByRole('slider', { name: /replay position/ });
  await scrub.focus();
  await page.keyboard.press('Home');
  await expect(scrub).toHaveValue('0');
  await expect(recordedPoints, 'the scrub bar at 0: the step-0 evaluation only').toHaveCount(curves);
  await page.getByRole('group', { name: 'replay the recording' }).getByRole('combobox').selectOption('20');
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const max = (await scrub.getAttribute('max'))!;
  await expect(scrub, 'the replay runs to the last step').toHaveValue(max, { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Replay', exact: true })).toBeVisible();
  await expect(recordedPoints).toHaveCount(curves * history.length);
  await expect(chart).toHaveAttribute('data-recorded', full!);
  // The last point of each curve sits at the file's final number (y from the chart's 0% and 100% grid lines).
  const drawn = await chart.evaluate((fig) => {
    const ys = [...fig.querySelectorAll('[data-series="recorded"]')].map((g) =>
      Number([...g.querySelectorAll('circle')].at(-1)!.getAttribute('cy')),
    );
    const grid = [...fig.querySelectorAll('svg > g:first-of-type line')].map((l) => Number(l.getAttribute('y1')));
    return { ys, top: Math.min(...grid), bottom: Math.max(...grid) };
  });
  const expected = [last.cleanAcc, ...pgd.map((k) => last.robust[k])].map(
    (v) => drawn.bottom - v * (drawn.bottom - drawn.top),
  );
  expect(
    drawn.ys.map((y, k) => Math.abs(y - expected[k]) < 0.6),
    `drawn ${drawn.ys} against the file's ${expected}`,
  ).toEqual(expected.map(() => true));

  await page.getByRole('button', { name: /^Train it live: step 2,/ }).click();
  await lab.until("the live run's first evaluation", (s) => s.runs.length === 1 && s.runs[0].evaluations > 0, 180_000);
  await expect(chart).not.toHaveAttribute('data-live', '0');
  await expect(chart, 'the recording stays under the live curves').toHaveAttribute('data-recorded', full!);
  await expect(page.getByTestId('live-badge')).toHaveCount(1);
  await expect(page.getByTestId('recorded-badge')).toHaveCount(1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'presentation-live-over-recorded.png') });
  await lab.pressOnPage('r');
  await lab.until('r to reset', (s) => s.runs.length === 0, 10_000);
  lab.expectNoErrors();
});

test('presentation: every step replays its recording from the start to its last step at 20x', async ({ lab, page }) => {
  await openPresentation(lab, SCREENS[0]);
  const scrub = page.getByRole('slider', { name: /replay position/ });
  const replay = page.getByRole('button', { name: 'Replay', exact: true });
  for (const [i, step] of steps.entries()) {
    if (i > 0) await lab.pressOnPage('n');
    await expect(stage(page)).toHaveAttribute('data-step', step.id);
    const chart = stage(page).locator('[data-panel]').first();
    await expect(chart).not.toHaveAttribute('data-recorded', '0');
    const full = (await chart.getAttribute('data-recorded'))!;
    await scrub.focus();
    await page.keyboard.press('Home');
    await expect(scrub, `${step.id}: back to the start`).toHaveValue('0');
    await page.getByRole('group', { name: 'replay the recording' }).getByRole('combobox').selectOption('20');
    await replay.click();
    const max = (await scrub.getAttribute('max'))!;
    await expect(scrub, `${step.id}: the replay runs to the last step`).toHaveValue(max, { timeout: 60_000 });
    await expect(replay).toBeVisible();
    await expect(chart, `${step.id}: the whole recording drawn again`).toHaveAttribute('data-recorded', full);
  }
  lab.expectNoErrors();
});

test('presentation: the handout prints every lesson step, each with its recorded chart and two sentences, on one page', async ({
  lab,
  page,
}) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await openPresentation(lab, SCREENS[0]);
  const items = page.getByTestId('handout').getByRole('listitem', { includeHidden: true });
  await expect(items).toHaveCount(steps.length);
  await expect(page.getByTestId('handout').locator('[data-panel]:not([data-recorded="0"])')).toHaveCount(
    steps.length + 1,
  ); // the landscapes step has two panels
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'handout.pdf'), pdf);
  // The print layout as a picture, to look at (A4 less the 10 mm margins, at 96 dpi), also when the
  // page count below fails.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 718, height: 1047 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'handout-print.png'), fullPage: true });
  expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 'pages in the PDF').toBe(1);
  for (const text of await items.evaluateAll((lis) => lis.map((li) => li.querySelector('p')?.textContent ?? ''))) {
    expect(text).toMatch(
      /^[^.]+\. Recorded on \d{4}-\d{2}-\d{2} \(wasm, seed \d+\), test accuracy after \d+ epochs: .+\.$/,
    );
  }
});
