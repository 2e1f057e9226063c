// Classroom mode end to end: the lesson walked with the keyboard only, presentation mode and the
// page shortcuts, and an axe-core accessibility scan of the lab page and the classroom.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { check, settled, type Case } from './runner';
import { ended, openLab, tinySpec, waitForState, type LabPage } from './lab';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Presses Tab until `matches` holds for the focused element; fails after `max` presses. */
async function tabTo(page: Page, what: string, matches: (el: { text: string; label: string | null; tag: string }) => boolean, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { text: a?.innerText?.trim() ?? '', label: a?.getAttribute('aria-label') ?? null, tag: a?.tagName ?? '' };
    });
    if (matches(el)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** The focused element draws a visible focus ring. */
async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement;
    const st = getComputedStyle(a);
    return a.matches(':focus-visible') && st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
  });
}

const currentStep = (page: Page) => page.locator('.lesson-steps li[aria-current="step"]').getAttribute('data-step');
const rootFontPx = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

/** Serious and critical axe violations on the page as it is now. */
export async function axeScan(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(' | ')}`);
}


async function pressOnPage(lab: LabPage, key: string) {
  // Keys go to the page body, as when nothing is focused.
  await lab.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await lab.page.keyboard.press(key);
}

export function classroomCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: 'classroom: the lesson walked with the keyboard only (Tab, Enter, n, p), step 1 trained from the keyboard',
      async fn() {
        const lab = await openLab(context, url);
        const { page } = lab;
        check((await page.locator('.lesson').count()) === 0, 'the lab view is the default');
        await tabTo(page, 'the Classroom view button', (el) => el.tag === 'BUTTON' && el.text === 'Classroom');
        check(await focusVisible(page), 'the focused view button shows a focus ring');
        await page.keyboard.press('Enter');
        await page.locator('.lesson').waitFor();
        check((await page.locator('.theory').count()) === 1, 'the theory panel is mounted in the classroom');
        check((await currentStep(page)) === 'baseline', 'the lesson opens at step 1');
        await page.keyboard.press('n');
        check((await currentStep(page)) === 'sgd-attacked', `n moves to step 2, got ${await currentStep(page)}`);
        await page.keyboard.press('n');
        check((await currentStep(page)) === 'adversarial-training', 'n moves to step 3');
        check((await page.locator('.run-row').count()) === 0, 'the lab form is not shown in the classroom');
        await page.keyboard.press('p');
        await page.keyboard.press('p');
        await page.keyboard.press('p');
        check((await currentStep(page)) === 'baseline', 'p moves back to step 1 and stops there');
        await tabTo(page, "step 1's Train button", (el) => el.tag === 'BUTTON' && (el.label ?? '').startsWith('Train it live: step 1,'));
        check(await focusVisible(page), "step 1's Train button shows a focus ring");
        await page.keyboard.press('Enter');
        const s = await waitForState(lab, (st) => st.runs.length === 1 && st.runs[0].backend !== undefined, 60_000, "step 1's run to start in its worker");
        check(s.runs[0].method === 'sgd' && !ended(s.runs[0]), `one SGD run going, got ${JSON.stringify(s.runs.map((r) => [r.method, r.status]))}`);
        await page.keyboard.press('r'); // the focus is still on the button: letters act there
        await waitForState(lab, (st) => st.runs.length === 0, 5_000, 'r to reset');
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await page.close();
      },
    },
    {
      name: 'classroom: presentation mode (class on the root, larger type) and the shortcuts (Space, r, ?, Esc, f)',
      async fn() {
        const lab = await openLab(context, url, tinySpec((s) => (s.train.epochs = 4)));
        const { page } = lab;
        const normalPx = await rootFontPx(page);
        await page.getByRole('button', { name: 'Presentation mode' }).click();
        check(await page.evaluate(() => document.documentElement.classList.contains('presentation')), 'presentation class on the root element');
        const bigPx = await rootFontPx(page);
        check(bigPx >= normalPx * 1.4, `presentation type is larger: ${normalPx}px -> ${bigPx}px`);
        // Controls are hidden until hovered (or focused).
        const barOpacity = () => page.evaluate(() => getComputedStyle(document.querySelector('.view-bar')!).opacity);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.mouse.move(5, 700);
        await page.waitForTimeout(300);
        check((await barOpacity()) === '0', `the view bar is hidden when not hovered, opacity ${await barOpacity()}`);
        await page.locator('.view-bar').hover();
        await page.waitForTimeout(300);
        check((await barOpacity()) === '1', 'the view bar shows when hovered');

        await pressOnPage(lab, ' ');
        await waitForState(lab, (st) => st.runs.length === 3 && st.runs.some((r) => r.status === 'training'), 60_000, 'Space to start training');
        await pressOnPage(lab, ' ');
        await waitForState(lab, (st) => st.runs.some((r) => r.status === 'paused') && !st.runs.some((r) => r.status === 'training'), 30_000, 'Space to pause');
        const pausedAt = (await lab.state()).runs.map((r) => r.step);
        await page.waitForTimeout(800);
        check(JSON.stringify((await lab.state()).runs.map((r) => r.step)) === JSON.stringify(pausedAt), 'no steps while paused');
        await pressOnPage(lab, ' ');
        await waitForState(lab, (st) => st.runs.some((r) => r.status === 'training'), 30_000, 'Space to resume');
        await pressOnPage(lab, 'r');
        await waitForState(lab, (st) => st.runs.length === 0, 5_000, 'r to reset');

        await pressOnPage(lab, '?');
        const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
        await dialog.waitFor();
        check((await dialog.locator('kbd').count()) >= 6, 'the help lists the shortcuts');
        check(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null), 'focus moves into the help');
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        await pressOnPage(lab, 'f'); // headless Chromium may refuse full screen; the page must not fail

        await page.getByRole('button', { name: 'Presentation mode' }).click();
        check(!(await page.evaluate(() => document.documentElement.classList.contains('presentation'))), 'presentation mode off again');
        check((await rootFontPx(page)) === normalPx, 'type back to normal');
        // Typing in a field is not a shortcut.
        const lr = page.locator('[data-path="train.lr"] input');
        await lr.fill('0.05');
        await lr.press(' ');
        await page.waitForTimeout(300);
        check((await lr.inputValue()) === '0.05 ' && (await lab.state()).runs.length === 0, 'Space typed in a field goes into the field and does not train');
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await page.close();
      },
    },
    {
      name: 'classroom: axe-core finds no serious or critical violation on the lab page (with charts) or the classroom',
      async fn() {
        const lab = await openLab(context, url, tinySpec((s) => ((s.train.epochs = 1), (s.runs = s.runs.slice(0, 2)))));
        const { page } = lab;
        const fresh = await axeScan(page);
        check(fresh.length === 0, `fresh lab page:\n${fresh.join('\n')}`);
        await pressOnPage(lab, ' ');
        await waitForState(lab, (st) => st.runs.length === 2 && st.runs.every(ended), 90_000, 'two runs to end');
        // The summary draws the histories a throttled, deferred render after the runs end: its rows
        // exist (with dashes) before the final numbers do, so wait for the numbers in every row.
        const rows = page.locator('[data-chart-summary] tbody tr');
        const texts = await settled(() => rows.allInnerTexts(), (t) => t.length === 2 && t.every((row) => /\d+\.\d %/.test(row)));
        check(texts.length === 2, `the chart summary has one row per run: ${texts.length}`);
        check(texts.every((row) => /\d+\.\d %/.test(row)), `the summary shows the final numbers: ${texts.join(' | ')}`);
        const charts = await axeScan(page);
        check(charts.length === 0, `lab page with charts:\n${charts.join('\n')}`);
        await page.getByRole('button', { name: 'Classroom' }).click();
        await page.locator('.theory table.toy-summary').waitFor({ timeout: 60_000 });
        const toyStatus = page.locator('.theory p[role="status"]');
        await page.waitForFunction(() => /trained all three in \d+ ms/.test(document.querySelector('.theory p[role="status"]')?.textContent ?? ''));
        console.log(`     toy theory panel: ${await toyStatus.innerText()} (SGD, SAM and AT on the toy data, in its worker)`);
        const classroom = await axeScan(page);
        check(classroom.length === 0, `classroom:\n${classroom.join('\n')}`);
        await page.getByRole('button', { name: 'Presentation mode' }).click();
        const stroke = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-chart="clean"] .series-line')!).strokeWidth));
        check(stroke >= 4, `thick chart lines in presentation mode, got ${stroke}`);
        await page.mouse.move(5, 5);
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(ARTIFACTS, 'classroom-presentation.png') });
        const presenting = await axeScan(page);
        check(presenting.length === 0, `classroom in presentation mode:\n${presenting.join('\n')}`);
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await page.close();
      },
    },
  ];
}
