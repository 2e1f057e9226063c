// The classroom on a projector: at 1366x768 and 1920x1080 in presentation mode, every lesson step
// opens with its recorded curves (within 1 s), and its text, chart and controls fit the screen with
// no SVG label outside its chart; the recording replays to its own final numbers; "Train it live"
// draws live curves over the recording; the handout prints on one page. Screenshots and the PDF are
// written to e2e/artifacts/ to be looked at.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { lessonSteps } from '../src/core/lesson';
import { axeScan } from './classroomCases';
import { openLab, waitForState } from './lab';
import { check, settled, type Case } from './runner';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const SCREENS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];
/** The bound: a step's recorded picture is drawn within 1 s of opening it. */
const FIRST_PICTURE_MS = 1000;

/** Milliseconds from now until the current step's chart draws recorded curves (fails past the bound). */
async function recordedDrawnWithin(page: Page, stepId: string, start: number): Promise<number> {
  await page.locator(`.lesson-stage[data-step="${stepId}"] .step-chart[data-recorded]:not([data-recorded="0"])`).first().waitFor({ timeout: FIRST_PICTURE_MS });
  return Date.now() - start;
}

/** Boxes that leave the window (something needs a scroll), and SVG texts outside their chart's SVG. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    if (window.scrollY !== 0) out.push(`the page is scrolled by ${window.scrollY}px`);
    const must = ['.lesson-steps li[aria-current="step"]', '.lesson-stage .step-chart', '.lesson-nav', '.lesson-stage .replay'];
    for (const sel of must) {
      const els = [...document.querySelectorAll(sel)];
      if (els.length === 0) out.push(`${sel} is missing`);
      for (const el of els) {
        const r = el.getBoundingClientRect();
        if (r.top < 0 || r.left < 0 || r.bottom > vh + 0.5 || r.right > vw + 0.5) out.push(`${sel} at ${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)} leaves the ${vw}x${vh} window`);
      }
    }
    for (const svg of document.querySelectorAll('svg')) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
          const chart = svg.closest('[data-chart],[data-panel]');
          out.push(`"${t.textContent}" overflows its chart ${chart?.getAttribute('data-chart') ?? chart?.getAttribute('data-panel') ?? ''} (text ${Math.round(r.left)}-${Math.round(r.right)}, chart ${Math.round(box.left)}-${Math.round(box.right)})`);
        }
      }
    }
    return out;
  });
}

async function openPresentation(context: BrowserContext, url: string, size: { width: number; height: number }) {
  const lab = await openLab(context, url);
  await lab.page.setViewportSize(size);
  await lab.page.getByRole('button', { name: 'Presentation mode' }).click();
  const start = Date.now();
  await lab.page.getByRole('button', { name: 'Classroom', exact: true }).click();
  return { lab, start };
}

/** The recorded file of a step, as served. */
async function recordedFile(page: Page, stepId: string) {
  return page.evaluate(async (id) => (await fetch(`recorded/lesson-${id}.json`)).json(), stepId) as Promise<{
    results: { runs: { id: string; history: { cleanAcc: number; robust: Record<string, number> }[] }[] };
  }>;
}

export function presentationCases(context: BrowserContext, url: string): Case[] {
  const steps = lessonSteps();
  return [
    ...SCREENS.map((size) => ({
      name: `presentation ${size.width}x${size.height}: every step shows its recording within 1 s, text, chart and controls on one screen, no label outside its chart, axe clean`,
      async fn() {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const { lab, start } = await openPresentation(context, url, size);
        const { page } = lab;
        const timings: string[] = [`opened: ${await recordedDrawnWithin(page, steps[0].id, start)} ms`];
        for (const [i, step] of steps.entries()) {
          if (i > 0) {
            await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
            const t0 = Date.now();
            await page.keyboard.press('n');
            timings.push(`${step.id}: ${await recordedDrawnWithin(page, step.id, t0)} ms`);
          }
          const problems = await settled(() => layoutProblems(page), (p) => p.length === 0, 2_000);
          await page.screenshot({ path: path.join(ARTIFACTS, `presentation-${size.width}x${size.height}-${i + 1}-${step.id}.png`) });
          check(problems.length === 0, `${step.id} at ${size.width}x${size.height}: ${problems.join('; ')}`);
          const badge = await page.locator('.recorded-badge').innerText();
          check(/^recorded on \d{4}-\d{2}-\d{2}, wasm, seed \d+$/.test(badge), `the badge says where the recording came from, got "${badge}"`);
          check((await page.locator('.live-badge').count()) === 0, 'nothing is called live before training');
          if (i === 0 || step.id === 'tradeoff') {
            const axe = await axeScan(page);
            check(axe.length === 0, `axe in presentation mode at ${step.id}:\n${axe.join('\n')}`);
          }
        }
        console.log(`     ${size.width}x${size.height} recorded curves drawn after: ${timings.join(', ')}`);
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await page.close();
      },
    })),
    {
      name: 'presentation: a replay (20x, scrub bar) ends on the recorded file\'s final numbers; Train it live draws live curves over the recording',
      async fn() {
        const { lab } = await openPresentation(context, url, SCREENS[0]);
        const { page } = lab;
        await page.keyboard.press('n'); // SGD under attack: one run, clean and robust curves
        const chart = page.locator('.lesson-stage[data-step="sgd-attacked"] .step-chart');
        await page.locator('.lesson-stage[data-step="sgd-attacked"] .step-chart:not([data-recorded="0"])').waitFor();
        const full = Number(await chart.getAttribute('data-recorded'));
        const scrub = page.getByRole('slider', { name: /replay position/ });
        await scrub.focus();
        await page.keyboard.press('Home'); // the scrub bar to step 0
        check((await scrub.inputValue()) === '0', `the scrub bar moves to 0, got ${await scrub.inputValue()}`);
        const atStart = await page.locator('.step-chart .recorded circle').count();
        await page.locator('.replay select').selectOption('20');
        await page.getByRole('button', { name: 'Replay', exact: true }).click();
        const max = await scrub.getAttribute('max');
        check((await settled(() => scrub.inputValue(), (v) => v === max, 60_000)) === max, `the replay ends at the last step ${max}`);
        await page.getByRole('button', { name: 'Replay', exact: true }).waitFor(); // back from "Pause replay" at the end
        // The last recorded points drawn are the file's final numbers: read them back from the tooltips' points.
        const file = await recordedFile(page, 'sgd-attacked');
        const last = file.results.runs[0].history.at(-1)!;
        const drawn = await page.locator('.step-chart .recorded circle').count();
        check(atStart < drawn, `the scrub bar at 0 shows fewer points (${atStart}) than the end (${drawn})`);
        check(drawn === (1 + Object.keys(last.robust).length) * file.results.runs[0].history.length, `every recorded evaluation is drawn at the end, got ${drawn}`);
        check(Number(await chart.getAttribute('data-recorded')) === full, 'the replay ends on the full recording');
        const ys = await page.evaluate(() => [...document.querySelectorAll('.step-chart .recorded')].map((g) => { const c = [...g.querySelectorAll('circle')].at(-1)!; return Number(c.getAttribute('cy')); }));
        const yOf = await page.evaluate(() => {
          const svg = document.querySelector('.step-chart svg')!;
          const ticks = [...svg.querySelectorAll('.grid line')].map((l) => Number(l.getAttribute('y1')));
          return { top: Math.min(...ticks), bottom: Math.max(...ticks) };
        });
        const expected = [last.cleanAcc, ...Object.values(last.robust)].map((v) => yOf.bottom - v * (yOf.bottom - yOf.top));
        check(expected.every((y, k) => Math.abs(y - ys[k]) < 0.6), `the replay's last points sit at the file's final numbers: drawn ${ys.map(Math.round)}, file ${expected.map(Math.round)}`);

        await page.getByRole('button', { name: /^Train it live: step 2,/ }).click();
        await waitForState(lab, (st) => st.runs.length === 1 && st.runs[0].evaluations > 0, 120_000, "the live run's first evaluation");
        await settled(() => chart.getAttribute('data-live'), (v) => Number(v) > 0);
        check(Number(await chart.getAttribute('data-live')) > 0 && Number(await chart.getAttribute('data-recorded')) === full, 'live curves are drawn over the full recording');
        check((await page.locator('.live-badge').count()) === 1 && (await page.locator('.recorded-badge').count()) === 1, 'the badges tell recorded and live apart');
        await page.screenshot({ path: path.join(ARTIFACTS, 'presentation-live-over-recorded.png') });
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press('r');
        await waitForState(lab, (st) => st.runs.length === 0, 5_000, 'r to reset');
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await page.close();
      },
    },
    {
      name: 'presentation: the handout prints the six steps, each with its recorded chart and two sentences, on one page',
      async fn() {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const { lab } = await openPresentation(context, url, SCREENS[0]);
        const { page } = lab;
        await settled(() => page.locator('.handout .step-chart[data-recorded]:not([data-recorded="0"])').count(), (n) => n >= steps.length);
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        fs.writeFileSync(path.join(ARTIFACTS, 'handout.pdf'), pdf);
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        check(pages === 1, `the handout is one page, got ${pages}`);
        // The print layout as a picture, to look at (A4 at 96 dpi).
        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.screenshot({ path: path.join(ARTIFACTS, 'handout-print.png'), fullPage: true });
        const items = await page.locator('.handout li').evaluateAll((lis) => lis.map((li) => ({ charts: li.querySelectorAll('.step-chart[data-recorded]:not([data-recorded="0"])').length, text: li.querySelector('p')?.textContent ?? '' })));
        check(items.length === steps.length, `six steps, got ${items.length}`);
        for (const it of items) check(it.charts > 0 && /Recorded on \d{4}-\d{2}-\d{2} \(wasm, seed \d+\)/.test(it.text), `each step has its recorded chart and numbers: ${JSON.stringify(it)}`);
        await page.close();
      },
    },
  ];
}
