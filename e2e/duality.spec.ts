// The duality view end to end ("What SAM's weight perturbation does to the input"): the default
// preset's three runs, cut short, each computing the view at every evaluation in its worker; the
// panel draws the grid, its numbers, the slider and the trend charts, exports its grid, and the
// lab's main-thread scripts stay under 50 ms throughout.
import { DEFAULT_PRESET_ID, PRESETS } from '../src/core/presets';
import { expect, test } from './fixtures';
import { expectNoLongLabScript, traceMainThread } from './mainThreadTrace';
import { tinySpec } from './tinySpec';

test("duality: SAM's implied d beside PGD's and AT's delta for the default preset's three runs, no long main-thread task", async ({
  lab,
}) => {
  const preset = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.spec;
  // The default preset's runs (SGD, SAM rho 0.02, AT 2/255) and attacks on a short schedule.
  const spec = tinySpec((s) => {
    s.runs = structuredClone(preset.runs);
    s.model = { ...preset.model, width: 8 };
    s.eval.attacks = structuredClone(preset.eval.attacks);
  });
  await lab.open(spec);
  await expect(lab.button('Train')).toBeEnabled();
  const trace = await traceMainThread(lab.page);
  await lab.button('Train').click();
  const s = await lab.until(
    'three runs to end with a duality view per evaluation',
    (st) =>
      st.runs.length === 3 &&
      st.runs.every((r) => r.status === 'done' && st.landscapes[r.id]?.duality.length === r.evaluations),
    300_000,
  );
  await expect(lab.region("what SAM's weight perturbation does to the input")).toHaveAttribute('data-evaluations', '3');
  const tasks = await trace.stop();
  for (const r of s.runs) {
    expect(
      s.landscapes[r.id].duality.map((d) => [d.trigger, d.values]),
      `${r.id}: one duality view per evaluation`,
    ).toEqual(Array(3).fill(['eval', { duality: 1 }]));
    expect(s.landscapes[r.id].slices, `${r.id}: no slices (landscape.when is never)`).toEqual([]);
  }
  const panel = lab.region("what SAM's weight perturbation does to the input");
  await expect(panel.getByRole('heading')).toHaveText("What SAM's weight perturbation does to the input");
  const grid = panel.getByTestId('duality-grid');
  await expect(grid).toHaveAttribute('data-images', '4');
  await expect(grid.getByRole('img'), 'image | SAM d | PGD delta | AT delta for each of four images').toHaveCount(16);
  const headers = await grid.getByTestId('duality-header').allTextContents();
  expect(headers).toHaveLength(4);
  expect(headers[1]).toMatch(/implied d \(ρ 0\.02\)/);
  expect(headers[2]).toMatch(/PGD δ, same model/);
  expect(headers[3]).toMatch(/^AT .*its δ/);
  const numbers = await grid.getByTestId('duality-numbers').allInnerTexts();
  expect(numbers).toHaveLength(12);
  expect(
    numbers.filter((t) => /cos\(d, δ\) -?\d\.\d{3}/.test(t) && /residual \d\.\d{3}/.test(t) && /‖d‖₂ \d/.test(t)),
    "numbers under each of SAM's d",
  ).toHaveLength(4);
  // The canvases hold the images: not blank.
  const inked = await grid.getByRole('img').evaluateAll((cs) =>
    cs.map((c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      return d.some((v, i) => i % 4 !== 3 && v !== d[0]);
    }),
  );
  expect(inked.filter(Boolean).length, `the cells are drawn: ${inked.join(',')}`).toBeGreaterThanOrEqual(12);
  await expect(panel.getByTestId('duality-chart'), 'cos(d, delta) and ||d|| over training').toHaveCount(2);
  await expect(panel.getByTestId('duality-chart').first()).toHaveAttribute('data-points', '3');
  await lab.shot('duality-panel');
  // The slider goes back to the step-0 evaluation; the export names it.
  await panel.getByRole('slider').fill('0');
  await expect(panel.getByRole('status')).toHaveText(/^0\.00/);
  const [file] = await Promise.all([
    lab.page.waitForEvent('download'),
    panel.getByRole('button', { name: 'SVG', exact: true }).click(),
  ]);
  expect(file.suggestedFilename()).toBe('duality-grid-epoch-0.00.svg');
  expectNoLongLabScript(tasks, 'from the Train click to the panel');
  lab.expectNoErrors();
});
