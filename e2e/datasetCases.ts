// End-to-end cases of the dataset picker: ready / missing as the served datasets are (the suite's
// fixtures: mnist, fashion-mnist and cifar10 prepared by `npm run datasets`'s code), a corrupt or
// unknown dropped file refused with the parser's message and nothing changed, and a tiny CIFAR-10
// run in the page. The last cases do the same on the real sets in the repo's datasets/ when
// `npm run datasets` found them, and say they are skipped when not.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { encodeIdx } from '../src/core/data/idx';
import { parseManifest } from '../src/core/data/manifest';
import { FIXTURE_CIFAR10, FIXTURE_FASHION_MNIST } from './fixtureDatasets';
import { check, Skip, type Case } from './runner';
import { clickButton, ended, openLab, tinySpec, waitForState, type LabPage } from './lab';
import { servePreview } from './server';

const REAL_MANIFEST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'datasets', 'manifest.json');

/** Skips the case unless `npm run datasets` prepared the real `name` (its official counts) in the repo's datasets/. */
function skipUnlessReal(name: 'cifar10' | 'fashion-mnist', train: number, test: number): void {
  const entry = fs.existsSync(REAL_MANIFEST) ? parseManifest(JSON.parse(fs.readFileSync(REAL_MANIFEST, 'utf8'))).datasets[name] : undefined;
  if (!entry) throw new Skip(`no real ${name} in datasets/ (\`npm run datasets\` found no source; see datasets/README.md)`);
  if (entry.train !== train || entry.test !== test) throw new Skip(`datasets/${name} holds ${entry.train} / ${entry.test} images, not the real set's ${train} / ${test}`);
}

/** Runs `fn` against a second server that serves the repo's own datasets/. */
async function withRealDatasets(fn: (url: string) => Promise<void>): Promise<void> {
  const server = await servePreview();
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

/** A 64-image CIFAR-10 run with one SGD run of one epoch. */
const tinyCifarSpec = () =>
  tinySpec((s) => {
    s.dataset = { ...s.dataset, name: 'cifar10', trainSize: 64, testSize: 32 };
    s.model = { name: 'cnn', width: 4, depth: 1 };
    s.train = { ...s.train, epochs: 1, batchSize: 32 };
    s.eval = { subsetSize: 32, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 1, every: 1, during: { subsetSize: 32, pgdSteps: 1 }, apgd: s.eval.apgd };
    s.runs = [{ id: 'sgd', method: 'sgd' }];
  });

/** Trains the tiny CIFAR-10 spec on the page at `url` and checks it ends done, with the load shown. */
async function trainTinyCifar(context: BrowserContext, url: string): Promise<void> {
  const lab = await openLab(context, url, tinyCifarSpec());
  await clickButton(lab.page, 'Train');
  let sawLoading = false;
  const s = await waitForState(
    lab,
    (st) => {
      sawLoading ||= Object.values(st.datasets.loads).some((l) => l.dataset === 'cifar10' && l.total > 0);
      return ended(st.runs[0]);
    },
    120_000,
    'the CIFAR-10 run to end',
  );
  const r = s.runs[0];
  check(r.status === 'done' && r.step === 2 && r.evaluations === 2, `trained 2 steps with 2 evaluations: ${r.status} ${r.step} ${r.evaluations} ${r.error ?? ''}`);
  check(sawLoading, 'the picker saw the CIFAR-10 files loading with their byte count');
  check(Object.keys(s.datasets.loads).length === 0, 'the loading state ends with the load');
  check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
  await lab.page.close();
}

const FILE_DATASETS = ['mnist', 'fashion-mnist', 'cifar10'];

/** Serves datasets/manifest.json without `name`, as if `npm run datasets` had not prepared it. */
async function withoutServed<T>(context: BrowserContext, name: string, fn: () => Promise<T>): Promise<T> {
  await context.route('**/datasets/manifest.json', async (route) => {
    const res = await route.fetch();
    const manifest = await res.json();
    delete manifest.datasets[name];
    await route.fulfill({ response: res, json: manifest });
  });
  try {
    return await fn();
  } finally {
    await context.unroute('**/datasets/manifest.json');
  }
}

/** The four Fashion-MNIST idx files, gzipped, with a few synthetic 28x28 images each. */
function tinyFashionFiles() {
  return ['train', 't10k'].flatMap((part) => {
    const n = part === 'train' ? 40 : 20;
    const idx = encodeIdx({ shape: [28, 28, 1], pixels: Uint8Array.from({ length: n * 784 }, (_, i) => (i * 13) % 256), labels: Uint8Array.from({ length: n }, (_, i) => i % 10), n });
    return [
      { name: `${part}-images-idx3-ubyte.gz`, mimeType: 'application/gzip', buffer: zlib.gzipSync(idx.images) },
      { name: `${part}-labels-idx1-ubyte.gz`, mimeType: 'application/gzip', buffer: zlib.gzipSync(idx.labels) },
    ];
  });
}

const row = (lab: LabPage, name: string) => lab.page.locator(`.dataset-picker [data-dataset="${name}"]`);
const statesRead = (lab: LabPage) => waitForState(lab, (s) => s.datasets.states !== undefined, 15_000, 'the dataset states');

export function datasetCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: 'datasets: the picker shows the prepared datasets ready and a dataset absent from the manifest missing, with the command and the file to drop',
      async fn() {
        const lab = await openLab(context, url);
        const s = await statesRead(lab);
        for (const name of FILE_DATASETS) {
          check(s.datasets.states?.[name as 'mnist']?.ready === true, `${name} is ready: ${JSON.stringify(s.datasets.states?.[name as 'mnist'])}`);
          await row(lab, name).and(lab.page.locator('[data-state="ready"]')).waitFor({ timeout: 5000 });
        }
        // The suite's fixtures, whatever this machine has: the same cases run on a fresh clone.
        const counts = (name: 'cifar10' | 'fashion-mnist') => {
          const st = s.datasets.states?.[name];
          return st?.ready && st.entry ? [st.entry.train, st.entry.test] : undefined;
        };
        check(JSON.stringify(counts('cifar10')) === JSON.stringify([5 * FIXTURE_CIFAR10.perTrainBatch, FIXTURE_CIFAR10.test]), `cifar10 is the fixture set: ${counts('cifar10')}`);
        check(JSON.stringify(counts('fashion-mnist')) === JSON.stringify([FIXTURE_FASHION_MNIST.train, FIXTURE_FASHION_MNIST.test]), `fashion-mnist is the fixture set: ${counts('fashion-mnist')}`);
        check(/8,000 \/ 2,000, no official test split/.test(await row(lab, 'mnist').innerText()), 'the npm MNIST split note is shown');
        await lab.page.close();

        // The same server with cifar10 taken out of its manifest.
        await withoutServed(context, 'cifar10', async () => {
          const missing = await openLab(context, url);
          const m = await statesRead(missing);
          check(m.datasets.states?.cifar10?.ready === false && m.datasets.states?.mnist?.ready === true, 'cifar10 missing, mnist still ready');
          const text = await row(missing, 'cifar10').innerText();
          check((await row(missing, 'cifar10').getAttribute('data-state')) === 'missing', 'cifar10 shows missing');
          check(/npm run datasets/.test(text) && /cifar-10-binary\.tar\.gz/.test(text), `the command and the official file are named: ${text}`);
          check(await row(missing, 'cifar10').locator('input[type=radio]').isDisabled(), 'a missing dataset cannot be chosen');
          check(missing.errors.length === 0, `no page errors: ${missing.errors.join('; ')}`);
          await missing.page.close();
        });
      },
    },
    {
      name: 'datasets: a corrupt cifar-10-binary.tar.gz and an unknown dropped file are refused with the reason; nothing changes',
      async fn() {
        const lab = await openLab(context, url);
        const before = await statesRead(lab);
        const garbage = Buffer.from([0x1f, 0x8b, ...Array.from({ length: 4096 }, (_, i) => (i * 31) % 251)]);
        await lab.page.locator('.dataset-picker input.dataset-files').setInputFiles({ name: 'cifar-10-binary.tar.gz', mimeType: 'application/gzip', buffer: garbage });
        const error = lab.page.locator('.dataset-picker .import-error');
        await error.waitFor({ timeout: 30_000 });
        check(/gzip data is corrupt or truncated/.test(await error.innerText()), `the gzip parser's message: ${await error.innerText()}`);

        // A file dropped onto the page (not the zone) goes the same way.
        await lab.page.evaluate(() => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array([1, 2, 3])], 'notes.txt'));
          window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
        });
        await lab.page.waitForFunction(() => /notes\.txt: not a dataset file/.test(document.querySelector('.import-error')?.textContent ?? ''), undefined, { timeout: 30_000 });
        await lab.page.reload();
        await lab.page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
        const after = await statesRead(lab);
        check(JSON.stringify(after.datasets.states) === JSON.stringify(before.datasets.states), 'the dataset states are as before');
        check(await lab.page.evaluate(async () => (await caches.keys()).length === 0 || (await (await caches.open('duality-lab-datasets-v1')).keys()).length === 0), 'nothing was stored');
        await lab.page.close();
      },
    },
    {
      name: 'datasets: dropped Fashion-MNIST files are parsed in a worker, kept in the browser and ready after a reload',
      async fn() {
        await withoutServed(context, 'fashion-mnist', async () => {
          const lab = await openLab(context, url);
          const before = await statesRead(lab);
          check(before.datasets.states?.['fashion-mnist']?.ready === false, 'fashion-mnist starts missing');
          await lab.page.locator('.dataset-picker input.dataset-files').setInputFiles(tinyFashionFiles());
          const done = lab.page.locator('.dataset-picker .import-done');
          await done.waitFor({ timeout: 30_000 });
          check(/Fashion-MNIST is ready \(40 training \/ 20 test images\), kept in this browser/.test(await done.innerText()), await done.innerText());
          await row(lab, 'fashion-mnist').and(lab.page.locator('[data-state="ready"]')).waitFor({ timeout: 10_000 });
          await lab.page.reload();
          await lab.page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
          const after = await statesRead(lab);
          check(after.datasets.states?.['fashion-mnist']?.ready === true, 'still ready after a reload: never asked for again');
          check(/kept in this browser/.test(await row(lab, 'fashion-mnist').innerText()), 'shown as kept in this browser');
          check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
          await lab.page.close();
        });
      },
    },
    {
      name: 'datasets: a tiny CIFAR-10 run (64 images, 4-channel CNN, 1 epoch) loads with progress and trains in the page',
      fn: () => trainTinyCifar(context, url),
    },
    {
      name: 'datasets (real data): CIFAR-10 as `npm run datasets` prepared it (50,000 / 10,000) is ready and a tiny run trains on it',
      async fn() {
        skipUnlessReal('cifar10', 50_000, 10_000);
        await withRealDatasets(async (realUrl) => {
          const lab = await openLab(context, realUrl);
          const st = (await statesRead(lab)).datasets.states?.cifar10;
          check(st?.ready === true && st.entry?.train === 50_000, `the real CIFAR-10 is served: ${JSON.stringify(st?.ready && st.entry?.train)}`);
          await lab.page.close();
          await trainTinyCifar(context, realUrl);
        });
      },
    },
    {
      name: 'datasets (real data): Fashion-MNIST as `npm run datasets` prepared it (60,000 / 10,000) is ready in the picker',
      async fn() {
        skipUnlessReal('fashion-mnist', 60_000, 10_000);
        await withRealDatasets(async (realUrl) => {
          const lab = await openLab(context, realUrl);
          const st = (await statesRead(lab)).datasets.states?.['fashion-mnist'];
          check(st?.ready === true && st.entry?.train === 60_000 && st.entry.test === 10_000, `the real Fashion-MNIST is served: ${JSON.stringify(st)}`);
          await row(lab, 'fashion-mnist').and(lab.page.locator('[data-state="ready"]')).waitFor({ timeout: 5000 });
          check(lab.errors.length === 0, `no page errors: ${lab.errors.join('; ')}`);
          await lab.page.close();
        });
      },
    },
  ];
}
