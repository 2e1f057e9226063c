// Classroom mode end to end: the lesson walked with the keyboard only, presentation mode and the
// page shortcuts, and an axe-core accessibility scan of the lab page and the classroom.
import type { Locator, Page } from '@playwright/test';
import { axeScan } from './axe';
import { expect, test } from './fixtures';
import { ended } from './labPage';
import { tinySpec } from './tinySpec';

/** Presses Tab until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The element has the focus and draws a visible focus ring. */
const focusRing = (target: Locator) =>
  target.evaluate((el) => {
    const st = getComputedStyle(el);
    return (
      el === document.activeElement &&
      el.matches(':focus-visible') &&
      st.outlineStyle !== 'none' &&
      parseFloat(st.outlineWidth) >= 2
    );
  });

const rootFontPx = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

const lesson = (page: Page) => page.getByRole('region', { name: 'Guided lesson' });
const theory = (page: Page) => page.getByRole('region', { name: /^The theory, live/ });
const viewBar = (page: Page) => page.getByRole('navigation', { name: 'views' });

test('classroom: the lesson walked with the keyboard only (Tab, Enter, n, p), step 1 trained from the keyboard', async ({
  lab,
  page,
}) => {
  await lab.open();
  await expect(lesson(page), 'the lab view is the default').toHaveCount(0);
  const classroom = page.getByRole('button', { name: 'Classroom', exact: true });
  await tabTo(page, classroom);
  expect(await focusRing(classroom), 'the focused view button shows a focus ring').toBe(true);
  await page.keyboard.press('Enter');
  await expect(lesson(page)).toBeVisible();
  await expect(theory(page), 'the theory panel is mounted in the classroom').toHaveCount(1);
  const current = lesson(page).getByRole('listitem').and(page.locator('[aria-current="step"]'));
  await expect(current, 'the lesson opens at step 1').toHaveAttribute('data-step', 'baseline');
  await page.keyboard.press('n');
  await expect(current, 'n moves to step 2').toHaveAttribute('data-step', 'sgd-attacked');
  await page.keyboard.press('n');
  await expect(current, 'n moves to step 3').toHaveAttribute('data-step', 'adversarial-training');
  await expect(lab.runRows, 'the lab form is not shown in the classroom').toHaveCount(0);
  for (let i = 0; i < 3; i++) await page.keyboard.press('p');
  await expect(current, 'p moves back to step 1 and stops there').toHaveAttribute('data-step', 'baseline');
  const trainStep1 = page.getByRole('button', { name: /^Train it live: step 1,/ });
  await tabTo(page, trainStep1);
  expect(await focusRing(trainStep1), "step 1's Train button shows a focus ring").toBe(true);
  await page.keyboard.press('Enter');
  const s = await lab.until(
    "step 1's run to start in its worker",
    (st) => st.runs.length === 1 && st.runs[0].backend !== undefined,
    90_000,
  );
  expect(s.runs[0].method, 'one SGD run').toBe('sgd');
  expect(ended(s.runs[0]), 'going').toBe(false);
  await page.keyboard.press('r'); // the focus is still on the button: letters act there
  await lab.until('r to reset', (st) => st.runs.length === 0, 10_000);
  lab.expectNoErrors();
});

test('classroom: presentation mode (class on the root, larger type) and the shortcuts (Space, r, ?, Esc, f)', async ({
  lab,
  page,
}) => {
  await lab.open(tinySpec((s) => (s.train.epochs = 4)));
  const normalPx = await rootFontPx(page);
  const presentation = page.getByRole('button', { name: 'Presentation mode' });
  await presentation.click();
  await expect(page.locator('html'), 'presentation class on the root element').toHaveClass(/\bpresentation\b/);
  await expect
    .poll(() => rootFontPx(page), { message: 'presentation type is larger' })
    .toBeGreaterThanOrEqual(normalPx * 1.4);
  // Controls are hidden until hovered (or focused).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(5, 700);
  await expect(viewBar(page), 'the view bar is hidden when not hovered').toHaveCSS('opacity', '0');
  await viewBar(page).hover();
  await expect(viewBar(page), 'the view bar shows when hovered').toHaveCSS('opacity', '1');

  await lab.pressOnPage(' ');
  await lab.until(
    'Space to start training',
    (st) => st.runs.length === 3 && st.runs.some((r) => r.status === 'training'),
    90_000,
  );
  await lab.pressOnPage(' ');
  const paused = await lab.until(
    'Space to pause',
    (st) => st.runs.some((r) => r.status === 'paused') && !st.runs.some((r) => r.status === 'training'),
    30_000,
  );
  await expect(lab.button('Resume')).toBeEnabled();
  expect(
    (await lab.state()).runs.map((r) => r.step),
    'no steps while paused (the page drew the pause meanwhile)',
  ).toEqual(paused.runs.map((r) => r.step));
  await lab.pressOnPage(' ');
  await lab.until('Space to resume', (st) => st.runs.some((r) => r.status === 'training'), 30_000);
  await lab.pressOnPage('r');
  await lab.until('r to reset', (st) => st.runs.length === 0, 10_000);

  await lab.pressOnPage('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  expect(await dialog.locator('kbd').count(), 'the help lists the shortcuts').toBeGreaterThanOrEqual(6);
  expect(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus moves into the help').toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await lab.pressOnPage('f'); // headless Chromium may refuse full screen; the page must not fail

  await presentation.click();
  await expect(page.locator('html'), 'presentation mode off again').not.toHaveClass(/\bpresentation\b/);
  await expect.poll(() => rootFontPx(page), { message: 'type back to normal' }).toBe(normalPx);
  // Typing in a field is not a shortcut.
  const lr = lab.field('train.lr').locator('input');
  await lr.fill('0.05');
  await lr.press(' ');
  await expect(lr, 'Space typed in a field goes into the field').toHaveValue('0.05 ');
  expect((await lab.state()).runs, 'and does not train').toEqual([]);
  lab.expectNoErrors();
});

test('classroom: axe-core finds no serious or critical violation on the lab page (with charts) or the classroom', async ({
  lab,
  page,
}) => {
  await lab.open(tinySpec((s) => ((s.train.epochs = 1), (s.runs = s.runs.slice(0, 2)))));
  expect(await axeScan(page), 'fresh lab page').toEqual([]);
  await lab.pressOnPage(' ');
  await lab.untilEnded(2, 150_000);
  // The summary draws the histories a deferred render after the runs end: its rows exist (with
  // dashes) before the final numbers do, so wait for the numbers in every row.
  const rows = page.locator('[data-chart-summary] tbody tr[data-run]');
  await expect(rows, 'the chart summary shows the final numbers, one row per run').toHaveText([
    /\d+\.\d %/,
    /\d+\.\d %/,
  ]);
  expect(await axeScan(page), 'lab page with charts').toEqual([]);
  await page.getByRole('button', { name: 'Classroom', exact: true }).click();
  await expect(theory(page).getByRole('table', { name: /^After \d+ steps/ }), 'the toy summary').toBeVisible({
    timeout: 90_000,
  });
  // The panel's live status line (its sliders' <output>s are statuses too).
  const toyStatus = theory(page)
    .getByRole('status')
    .filter({ hasText: /trained/ });
  await expect(toyStatus, 'the toy models trained in their worker').toHaveText(/trained all three in \d+ ms/, {
    timeout: 90_000,
  });
  console.log(`toy theory panel: ${await toyStatus.innerText()} (SGD, SAM and AT on the toy data, in its worker)`);
  expect(await axeScan(page), 'classroom').toEqual([]);
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await expect
    .poll(
      async () =>
        parseFloat(
          await lab
            .chart('clean')
            .getByTestId('series-line')
            .first()
            .evaluate((el) => getComputedStyle(el).strokeWidth),
        ),
      { message: 'thick chart lines in presentation mode' },
    )
    .toBeGreaterThanOrEqual(4);
  await page.mouse.move(5, 5);
  await lab.shot('classroom-presentation', false);
  expect(await axeScan(page), 'classroom in presentation mode').toEqual([]);
  lab.expectNoErrors();
});
