// End-to-end cases of issue 16: the paper's preset and its warning, the "Export as PyTorch project"
// zip read back, and a weights file opened into an ended run (evaluated in its worker).
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { EXPORT_ONLY_WARNING, PRESETS } from '../src/core/presets';
import { clickButton, ended, openLab, tinySpec, waitForState } from './lab';
import { check, type Case } from './runner';

async function download(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return fs.readFileSync(await file.path());
}

export function pytorchCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: "PyTorch export: the paper's setting warns, and its project zip holds the spec, train.py and the README",
      async fn() {
        const lab = await openLab(context, url);
        const paper = PRESETS.find((p) => p.exportOnly)!;
        await lab.page.getByLabel('preset').selectOption(paper.id);
        check((await lab.page.locator('.presets .warning').innerText()) === EXPORT_ONLY_WARNING, 'the export-only warning is shown');
        const zip = await download(lab.page, () => lab.page.getByRole('button', { name: 'Export as PyTorch project' }).click());
        const files = unzipSync(new Uint8Array(zip));
        const names = Object.keys(files);
        for (const f of ['spec.json', 'dataset.json', 'train.py', 'models.py', 'methods.py', 'data.py', 'safetensors_io.py', 'README.md'])
          check(names.some((n) => n.endsWith(`/${f}`)), `the zip holds ${f}: ${names.join(', ')}`);
        const spec = JSON.parse(strFromU8(files[names.find((n) => n.endsWith('/spec.json'))!])) as unknown;
        check(JSON.stringify(spec) === JSON.stringify(paper.spec), "the zip's spec is the preset's");
        check(/## Scaling out[\s\S]*--rdzv-backend c10d/.test(strFromU8(files[names.find((n) => n.endsWith('/README.md'))!])), 'the README says how to scale out');
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await lab.page.close();
      },
    },
    {
      name: "open weights: an ended run takes a .safetensors file and shows its evaluation; a wrong file is refused with the reason",
      async fn() {
        const spec = tinySpec((s) => {
          s.runs = [{ id: 'sgd', method: 'sgd' }];
        });
        const lab = await openLab(context, url, spec);
        await clickButton(lab.page, 'Train');
        const done = await waitForState(lab, (st) => st.runs.length === 1 && st.runs.every(ended), 120_000, 'the run to end');
        const weights = await download(lab.page, () => lab.page.locator('.export').getByRole('button', { name: 'weights of sgd', exact: true }).click());
        const input = lab.page.getByLabel('open weights for sgd');
        // Its own weights back: the final evaluation's clean accuracy again.
        await input.setInputFiles({ name: 'sgd.safetensors', mimeType: 'application/octet-stream', buffer: weights });
        const note = lab.page.locator('.open-weights [role="status"]');
        await note.filter({ hasText: 'Slice now' }).waitFor({ timeout: 60_000 });
        const clean = `clean ${(100 * done.runs[0].lastMetrics!.cleanAcc).toFixed(1)} %`;
        check((await note.innerText()).includes(clean), `the opened weights evaluate to the run's ${clean}: ${await note.innerText()}`);
        await input.setInputFiles({ name: 'bad.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3]) });
        const alert = lab.page.locator('.open-weights [role="alert"]');
        await alert.waitFor({ timeout: 30_000 });
        check(/was not opened: not a safetensors file/.test(await alert.innerText()), `the reason is shown: ${await alert.innerText()}`);
        check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
        await lab.page.close();
      },
    },
  ];
}
