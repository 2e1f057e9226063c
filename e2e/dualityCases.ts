// End-to-end case of the duality view ("What SAM's weight perturbation does to the input"): the
// default preset's three runs, cut short, each computing the view at every evaluation in its
// worker; the panel draws the grid, the numbers, the slider and the trend charts, exports its grid,
// and the lab's main-thread scripts stay under 50 ms throughout.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { DEFAULT_PRESET_ID, PRESETS } from '../src/core/presets';
import { check, settled, type Case } from './runner';
import { clickButton, ended, labScriptsSince, openLab, tinySpec, waitForState } from './lab';

const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** Budget for a script of the lab on the main thread while workers train. */
const LONG_TASK_MS = 50;

export function dualityCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: "duality: the panel shows SAM's implied d beside PGD's and AT's delta for the default preset's three runs, no long main-thread task",
      async fn() {
        const preset = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.spec;
        // The default preset's runs (SGD, SAM rho 0.02, AT 2/255) and model width, on a short schedule.
        const spec = tinySpec((s) => {
          s.runs = structuredClone(preset.runs);
          s.model = { ...preset.model, width: 8 };
          s.eval.attacks = structuredClone(preset.eval.attacks);
        });
        // A second attempt when the first has a long script (wall clock on a shared 2-core machine, as in cases.ts).
        const attempt = async () => {
          const lab = await openLab(context, url, spec);
          await lab.page.locator('.controls').getByRole('button', { name: 'Train', exact: true }).waitFor();
          const t0 = await lab.page.evaluate(() => performance.now());
          await clickButton(lab.page, 'Train');
          const s = await waitForState(
            lab,
            (st) => st.runs.length === 3 && st.runs.every(ended) && st.runs.every((r) => (st.landscapes[r.id]?.duality.length ?? 0) === r.evaluations),
            240_000,
            'three runs to end with a duality view per evaluation',
          );
          const panel = lab.page.locator('.duality-panel');
          await panel.waitFor();
          await settled(() => panel.getAttribute('data-evaluations'), (v) => v === '3');
          const scripts = await labScriptsSince(lab.page, t0);
          return { lab, s, panel, scripts, longest: scripts.reduce((m, [, d]) => Math.max(m, d), 0) };
        };
        let run = await attempt();
        if (run.longest >= LONG_TASK_MS) {
          console.log(`     first attempt: the lab's longest script took ${run.longest} ms; once more`);
          await run.lab.page.close();
          run = await attempt();
        }
        const { lab, s, panel, scripts, longest } = run;
        for (const r of s.runs) {
          check(r.status === 'done', `${r.id} is done, got ${r.status} ${r.error ?? ''}`);
          check(s.landscapes[r.id].duality.every((d) => d.values.duality === 1 && d.trigger === 'eval'), `${r.id}: one duality view per evaluation, got ${JSON.stringify(s.landscapes[r.id].duality)}`);
          check(s.landscapes[r.id].slices.length === 0, `${r.id}: no slices (landscape.when is never), got ${s.landscapes[r.id].slices.length}`);
        }
        await panel.screenshot({ path: path.join(ARTIFACTS, 'duality-panel.png') });
        check((await panel.getByRole('heading').innerText()) === "What SAM's weight perturbation does to the input", 'the panel has its title');
        const grid = panel.locator('.duality-grid');
        check((await grid.getAttribute('data-images')) === '4', 'four images');
        check((await grid.locator('canvas.duality-cell').count()) === 16, 'image | SAM d | PGD delta | AT delta for each of four images');
        const headers = await grid.locator('strong').allTextContents();
        check(headers.length === 4 && /implied d \(ρ 0\.02\)/.test(headers[1]) && /PGD δ, same model/.test(headers[2]) && /^AT .*its δ/.test(headers[3]), `column headers: ${headers.join(' | ')}`);
        const numbers = await grid.locator('.duality-numbers').allInnerTexts();
        check(numbers.length === 12 && numbers.filter((t) => /cos\(d, δ\) -?\d\.\d{3}/.test(t) && /residual \d\.\d{3}/.test(t) && /‖d‖₂ \d/.test(t)).length === 4, `numbers under SAM's d: ${numbers.slice(0, 3).join(' / ')}`);
        // The canvases hold the images: not blank.
        const inked = await grid.locator('canvas.duality-cell').evaluateAll((cs) =>
          cs.map((c) => {
            const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
            return d.some((v, i) => i % 4 !== 3 && v !== d[0]);
          }),
        );
        check(inked.filter(Boolean).length >= 12, `the cells are drawn: ${inked.join(',')}`);
        check((await panel.locator('.duality-chart').count()) === 2 && (await panel.locator('.duality-chart').first().getAttribute('data-points')) === '3', 'cos(d, delta) and ||d|| over three evaluations');
        // The slider goes back to the first evaluation.
        await panel.getByRole('slider').fill('0');
        check(/^0\.00/.test(await panel.locator('.duality-slider output').innerText()), 'the slider shows the step-0 evaluation');
        const download = lab.page.waitForEvent('download');
        await panel.getByRole('button', { name: 'SVG' }).click();
        const file = await download;
        check(/^duality-grid-epoch-0\.00\.svg$/.test(file.suggestedFilename()), `SVG file name ${file.suggestedFilename()}`);
        const listed = scripts.map(([t, d, by]) => `${t}+${d} ${by}`).join(', ') || 'none';
        console.log(`     the lab's longest script from the Train click to the panel: ${longest} ms; long frames' scripts: ${listed}`);
        check(longest < LONG_TASK_MS, `the lab's longest script took ${longest} ms: ${listed}`);
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await lab.page.close();
      },
    },
  ];
}
