// Issue 16: the paper's preset and its warning, the "Export as PyTorch project" zip read back, and a
// weights file opened into an ended run (evaluated in its worker).
import fs from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
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
  for (const name of [
    'spec.json',
    'dataset.json',
    'train.py',
    'models.py',
    'methods.py',
    'data.py',
    'safetensors_io.py',
    'README.md',
  ])
    expect(byName(name), name).toBeDefined();
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
