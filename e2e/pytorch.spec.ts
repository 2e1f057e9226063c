// Issue 16: the paper's preset and its warning, the "Export as PyTorch project" zip read back, and a
// weights file opened into an ended run (evaluated in its worker), into a run opened from the history
// and into an imported run (each given a worker that builds the model without training).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { PYTORCH_SOURCES } from '../src/core/export/pytorchProject';
import { EXPORT_ONLY_WARNING, PRESETS } from '../src/core/presets';
import { expect, test } from './fixtures';
import { tinySpec } from './tinySpec';

test("PyTorch export: the paper's setting warns, and its project zip holds the spec, train.py and the README", async ({
  lab,
}) => {
  await lab.open();
  const paper = PRESETS.find((p) => p.exportOnly)!;
  await lab.page.getByLabel('preset').selectOption(paper.id);
  await expect(lab.page.getByRole('note')).toHaveText(EXPORT_ONLY_WARNING);
  const [file] = await Promise.all([
    lab.page.waitForEvent('download'),
    lab.page.getByRole('button', { name: 'Export as PyTorch project' }).click(),
  ]);
  const files = unzipSync(new Uint8Array(fs.readFileSync(await file.path())));
  const byName = (name: string) => files[Object.keys(files).find((n) => n.endsWith(`/${name}`)) ?? ''];
  for (const name of ['spec.json', 'dataset.json', ...PYTORCH_SOURCES]) expect(byName(name), name).toBeDefined();
  expect(JSON.parse(strFromU8(byName('spec.json')))).toEqual(paper.spec);
  expect(strFromU8(byName('README.md'))).toMatch(/## Scaling out[\s\S]*--rdzv-backend c10d/);
  lab.expectNoErrors();
});

test('open weights: an ended run takes a .safetensors file and shows its evaluation; a wrong file is refused with the reason', async ({
  lab,
}) => {
  await lab.open(tinySpec((s) => (s.runs = [{ id: 'sgd', method: 'sgd' }])));
  await lab.button('Train').click();
  const done = await lab.untilEnded(1, 120_000);
  const { bytes } = await lab.download('weights of sgd');
  const input = lab.region('export').getByLabel('open weights for sgd');
  // Its own weights back: the final evaluation's clean accuracy again.
  await input.setInputFiles({ name: 'sgd.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  const clean = `clean ${(100 * done.runs[0].lastMetrics!.cleanAcc).toFixed(1)} %`;
  await expect(lab.region('export').getByRole('status').filter({ hasText: 'Slice now' })).toContainText(clean, {
    timeout: 60_000,
  });
  await input.setInputFiles({
    name: 'bad.safetensors',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from([1, 2, 3]),
  });
  await expect(lab.region('export').getByRole('alert')).toContainText(
    'bad.safetensors was not opened: not a safetensors file',
    { timeout: 30_000 },
  );
  lab.expectNoErrors();
});

test('open weights into saved and imported runs: the weights are evaluated without training, the history stays, and "Slice now" measures them', async ({
  lab,
}) => {
  await lab.open(
    tinySpec((s) => {
      s.landscape = { ...s.landscape, points1d: 5, points2d: 3, batchSize: 16 };
      s.runs = [{ id: 'sgd', method: 'sgd' }];
    }),
  );
  await lab.button('Train').click();
  const done = (await lab.untilEnded(1, 120_000)).runs[0];
  const results = await lab.download('Results JSON');
  const { bytes } = await lab.download('weights of sgd');
  const clean = `clean ${(100 * done.lastMetrics!.cleanAcc).toFixed(1)} %`;
  const input = lab.region('export').getByLabel('open weights for sgd');
  const opened = (name: string) => lab.region('export').getByRole('status').filter({ hasText: name });

  // Opened from the history after a reload: no worker until weights come.
  await lab.reload();
  await lab.until('the saved run', (st) => st.runs[0]?.status === 'done', 15_000);
  const sliceNow = lab.card('sgd').getByRole('button', { name: 'Slice now' });
  await expect(sliceNow, 'no weights after the reload').toBeDisabled();
  await input.setInputFiles({ name: 'history.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(opened('history.safetensors'), "the weights' final evaluation").toContainText(clean, {
    timeout: 60_000,
  });
  await expect(sliceNow, 'the opened weights can be sliced').toBeEnabled();

  // Imported as a cluster's results file would be.
  // From disk, as a user picks it: the browser reads a chosen file only when the page asks, so it
  // is removed once the import shows, not before.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-open-'));
  fs.writeFileSync(path.join(dir, 'cluster.json'), results.bytes);
  await lab.page.getByLabel('import results file').setInputFiles(path.join(dir, 'cluster.json'));
  await expect(lab.region('history').getByRole('listitem').filter({ hasText: 'cluster' })).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
  await expect(sliceNow, 'an imported run has no weights').toBeDisabled();
  await input.setInputFiles({ name: 'cluster-sgd.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(opened('cluster-sgd.safetensors'), "the weights' final evaluation").toContainText(clean, {
    timeout: 60_000,
  });
  await sliceNow.click();
  const sliced = await lab.until(
    'the landscape of the opened weights',
    (st) => st.landscapes.sgd?.slices.length === 1,
    90_000,
  );
  expect(sliced.landscapes.sgd.slices[0].trigger).toBe('manual');
  // The imported history is the results file's, untouched by the opened worker.
  expect(sliced.runs[0], 'the history as imported').toMatchObject({
    status: 'done',
    step: done.step,
    evaluations: done.evaluations,
    lastMetrics: done.lastMetrics,
  });
  lab.expectNoErrors();
});
