// The dataset picker end to end: ready / missing as the served datasets are (the suite's fixtures:
// mnist, fashion-mnist and cifar10 prepared by `npm run datasets`'s code), a corrupt or unknown
// dropped file refused with the parser's message and nothing changed, and a tiny CIFAR-10 run in
// the page. The last cases do the same on the real sets (REAL_DATASETS, served by the `real`
// server) when `npm run datasets` found them, and are skipped when not.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BrowserContext } from '@playwright/test';
import { encodeIdx } from '../src/core/data/idx';
import { parseManifest } from '../src/core/data/manifest';
import { expect, test } from './fixtures';
import { FIXTURE_CIFAR10, FIXTURE_FASHION_MNIST } from './fixtureDatasets';
import { ended, type LabPage } from './labPage';
import { REAL_DATASETS, servers } from './servers';
import { tinySpec } from './tinySpec';

/** The reason to skip a real-data case: `npm run datasets` did not prepare the real `name` (its official counts). */
function withoutReal(name: 'cifar10' | 'fashion-mnist', train: number, test: number): string | undefined {
  const manifest = path.join(REAL_DATASETS, 'manifest.json');
  const entry = fs.existsSync(manifest)
    ? parseManifest(JSON.parse(fs.readFileSync(manifest, 'utf8'))).datasets[name]
    : undefined;
  if (!entry)
    return `no real ${name} in ${REAL_DATASETS} (\`npm run datasets\` found no source; see datasets/README.md)`;
  if (entry.train !== train || entry.test !== test)
    return `${REAL_DATASETS}/${name} holds ${entry.train} / ${entry.test} images, not the real set's ${train} / ${test}`;
  return undefined;
}

/** A 64-image CIFAR-10 run with one SGD run of one epoch. */
const tinyCifarSpec = () =>
  tinySpec((s) => {
    s.dataset = { ...s.dataset, name: 'cifar10', trainSize: 64, testSize: 32 };
    s.model = { name: 'cnn', width: 4, depth: 1 };
    s.train = { ...s.train, epochs: 1, batchSize: 32 };
    s.eval = {
      subsetSize: 32,
      attacks: [{ norm: 'linf', eps: 8 / 255 }],
      pgdSteps: 1,
      pgdSchedule: 'cosine',
      every: 1,
      during: { subsetSize: 32, pgdSteps: 1 },
      apgd: s.eval.apgd,
    };
    s.runs = [{ id: 'sgd', method: 'sgd' }];
  });

/** Trains the tiny CIFAR-10 spec on the page at `base` and checks it ends done, with the load shown. */
async function trainTinyCifar(lab: LabPage, base: string): Promise<void> {
  await lab.open(tinyCifarSpec(), '', base);
  // The fixture's batches are small enough to load and parse within one flush of the page's store,
  // so the picker may never show the load: the files after the first wait, as over a slow link,
  // until it does.
  let shown: Promise<unknown> | undefined;
  let first = true;
  await lab.page.context().route('**/datasets/cifar10/**', async (route) => {
    if (!first)
      await (shown ??= lab.until(
        'the picker to show the CIFAR-10 files loading with their byte count',
        (st) => Object.values(st.datasets.loads).some((l) => l.dataset === 'cifar10' && l.total > 0),
        60_000,
      )).catch(() => undefined); // the failure is reported below, by the test
    first = false;
    await route.continue();
  });
  await lab.button('Train').click();
  const s = await lab.until('the CIFAR-10 run to end', (st) => st.runs.length === 1 && ended(st.runs[0]), 180_000);
  expect(s.runs[0], 'trained 2 steps with 2 evaluations').toMatchObject({
    status: 'done',
    step: 2,
    evaluations: 2,
    error: undefined,
  });
  expect(shown, 'the batches after the first were asked for').toBeDefined();
  await shown;
  expect(s.datasets.loads, 'the loading state ends with the load').toEqual({});
  lab.expectNoErrors();
}

/** Serves datasets/manifest.json without `name`, as if `npm run datasets` had not prepared it. */
async function withoutServed(context: BrowserContext, name: string): Promise<void> {
  await context.route('**/datasets/manifest.json', async (route) => {
    const res = await route.fetch();
    const manifest = await res.json();
    delete manifest.datasets[name];
    await route.fulfill({ response: res, json: manifest });
  });
}

/** The four Fashion-MNIST idx files, gzipped, with a few synthetic 28x28 images each. */
function tinyFashionFiles() {
  return ['train', 't10k'].flatMap((part) => {
    const n = part === 'train' ? 40 : 20;
    const idx = encodeIdx({
      shape: [28, 28, 1],
      pixels: Uint8Array.from({ length: n * 784 }, (_, i) => (i * 13) % 256),
      labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
      n,
    });
    return [
      { name: `${part}-images-idx3-ubyte.gz`, mimeType: 'application/gzip', buffer: zlib.gzipSync(idx.images) },
      { name: `${part}-labels-idx1-ubyte.gz`, mimeType: 'application/gzip', buffer: zlib.gzipSync(idx.labels) },
    ];
  });
}

const picker = (lab: LabPage) => lab.page.getByRole('group', { name: 'datasets' });
const row = (lab: LabPage, name: string) => picker(lab).locator(`[data-dataset="${name}"]`);
const statesRead = async (lab: LabPage) =>
  (await lab.until('the dataset states', (s) => s.datasets.states !== undefined, 30_000)).datasets.states!;
const counts = (st: { ready: boolean; entry?: { train: number; test: number } } | undefined) =>
  st?.ready && st.entry ? [st.entry.train, st.entry.test] : undefined;

test('datasets: the picker shows the prepared datasets ready and a dataset absent from the manifest missing, with the command and the file to drop', async ({
  lab,
  context,
}) => {
  await lab.open();
  const states = await statesRead(lab);
  for (const name of ['mnist', 'fashion-mnist', 'cifar10'] as const) {
    expect(states[name]?.ready, `${name} is ready`).toBe(true);
    await expect(row(lab, name), `${name} shows ready`).toHaveAttribute('data-state', 'ready');
  }
  // The suite's fixtures, whatever this machine has: the same cases run on a fresh clone.
  expect(counts(states.cifar10), 'cifar10 is the fixture set').toEqual([
    5 * FIXTURE_CIFAR10.perTrainBatch,
    FIXTURE_CIFAR10.test,
  ]);
  expect(counts(states['fashion-mnist']), 'fashion-mnist is the fixture set').toEqual([
    FIXTURE_FASHION_MNIST.train,
    FIXTURE_FASHION_MNIST.test,
  ]);
  await expect(row(lab, 'mnist'), 'the npm MNIST split note is shown').toContainText(
    /8,000 \/ 2,000, no official test split/,
  );

  // The same server with cifar10 taken out of its manifest.
  await withoutServed(context, 'cifar10');
  await lab.reload();
  const missing = await statesRead(lab);
  expect([missing.cifar10?.ready, missing.mnist?.ready], 'cifar10 missing, mnist still ready').toEqual([false, true]);
  const cifar = row(lab, 'cifar10');
  await expect(cifar, 'cifar10 shows missing').toHaveAttribute('data-state', 'missing');
  await expect(cifar, 'the command is named').toContainText('npm run datasets');
  await expect(cifar, 'the official file is named').toContainText('cifar-10-binary.tar.gz');
  await expect(cifar.getByRole('radio'), 'a missing dataset cannot be chosen').toBeDisabled();
  lab.expectNoErrors();
});

test('datasets: a corrupt cifar-10-binary.tar.gz and an unknown dropped file are refused with the reason; nothing changes', async ({
  lab,
}) => {
  await lab.open();
  const before = await statesRead(lab);
  const garbage = Buffer.from([0x1f, 0x8b, ...Array.from({ length: 4096 }, (_, i) => (i * 31) % 251)]);
  await lab.page
    .getByTestId('dataset-files')
    .setInputFiles({ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: garbage });
  const error = picker(lab).getByRole('alert');
  await expect(error, "the gzip parser's message").toContainText('gzip data is corrupt or truncated', {
    timeout: 60_000,
  });

  // A file dropped onto the page (not the zone) goes the same way.
  await lab.page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([1, 2, 3])], 'notes.txt'));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await expect(error).toContainText('notes.txt: not a dataset file', { timeout: 60_000 });
  await lab.reload();
  expect(await statesRead(lab), 'the dataset states are as before').toEqual(before);
  expect(
    await lab.page.evaluate(
      async () =>
        (await caches.keys()).length === 0 ||
        (await (await caches.open('duality-lab-datasets-v1')).keys()).length === 0,
    ),
    'nothing was stored',
  ).toBe(true);
});

test('datasets: dropped Fashion-MNIST files are parsed in a worker, kept in the browser and ready after a reload', async ({
  lab,
  context,
}) => {
  await withoutServed(context, 'fashion-mnist');
  await lab.open();
  expect((await statesRead(lab))['fashion-mnist']?.ready, 'fashion-mnist starts missing').toBe(false);
  await lab.page.getByTestId('dataset-files').setInputFiles(tinyFashionFiles());
  const done = picker(lab).getByRole('status').filter({ hasText: 'is ready' });
  await expect(done).toHaveText(/Fashion-MNIST is ready \(40 training \/ 20 test images\), kept in this browser/, {
    timeout: 60_000,
  });
  await expect(row(lab, 'fashion-mnist')).toHaveAttribute('data-state', 'ready');
  await lab.reload();
  expect((await statesRead(lab))['fashion-mnist']?.ready, 'still ready after a reload: never asked for again').toBe(
    true,
  );
  await expect(row(lab, 'fashion-mnist'), 'shown as kept in this browser').toContainText('kept in this browser');
  lab.expectNoErrors();
});

test('datasets: a tiny CIFAR-10 run (64 images, 4-channel CNN, 1 epoch) loads with progress and trains in the page', async ({
  lab,
}) => {
  await trainTinyCifar(lab, '/');
});

test('datasets (real data): CIFAR-10 as `npm run datasets` prepared it (50,000 / 10,000) is ready and a tiny run trains on it', async ({
  lab,
}) => {
  const why = withoutReal('cifar10', 50_000, 10_000);
  test.skip(why !== undefined, why);
  await lab.open(undefined, '', servers.url('real'));
  expect(counts((await statesRead(lab)).cifar10), 'the real CIFAR-10 is served').toEqual([50_000, 10_000]);
  await trainTinyCifar(lab, servers.url('real'));
});

test('datasets (real data): Fashion-MNIST as `npm run datasets` prepared it (60,000 / 10,000) is ready in the picker', async ({
  lab,
}) => {
  const why = withoutReal('fashion-mnist', 60_000, 10_000);
  test.skip(why !== undefined, why);
  await lab.open(undefined, '', servers.url('real'));
  expect(counts((await statesRead(lab))['fashion-mnist']), 'the real Fashion-MNIST is served').toEqual([
    60_000, 10_000,
  ]);
  await expect(row(lab, 'fashion-mnist')).toHaveAttribute('data-state', 'ready');
  lab.expectNoErrors();
});
