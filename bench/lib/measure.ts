// The measurements themselves, platform-neutral (pure TS + tfjs + src/core): the Node runner calls
// them after useBackend(), the browser bench worker after the page's own selectBackend(), so both
// time exactly the Trainer a user's run uses (createTrainer + step(): upload, method gradients, SGD,
// BatchNorm update and the loss read-back).
import * as tf from '@tensorflow/tfjs';
import type { DatasetSplit, Dataset } from '../../src/core/data/dataset';
import { conv2d, setConvGradientPlan, type ConvGradientPlan } from '../../src/core/model/conv';
import { convGradReference, maxRelError } from '../../src/core/model/convReference';
import { flopsPerExample } from '../../src/core/model/paramUtils';
import { Rng } from '../../src/core/rng';
import { DEFAULT_SPEC, type ExperimentSpec, type ModelName, type RunSpec } from '../../src/core/spec';
import { evaluateModel } from '../../src/core/train/evaluate';
import { createTrainer } from '../../src/core/train/trainer';

export const METHODS = ['sgd', 'sam', 'at-pgd1', 'at-pgd5', 'at-pgd10'] as const;
export type MethodKey = (typeof METHODS)[number];

export interface ModelCase {
  model: ModelName;
  width: number;
  batch: number;
}

export const caseKey = (c: ModelCase) => `${c.model}-w${c.width}-b${c.batch}`;

/** PGD steps of an AT method key, 0 for SGD and SAM. */
export const pgdSteps = (m: MethodKey) => (m.startsWith('at-pgd') ? Number(m.slice(6)) : 0);

/** Forward passes' worth of work per step in units of one SGD step (forward + backward ~ 3 forwards): SGD 1, SAM 2, AT-PGD-k k + 1. */
export const idealRatio = (m: MethodKey) => (m === 'sgd' ? 1 : m === 'sam' ? 2 : pgdSteps(m) + 1);

function runSpec(m: MethodKey): RunSpec {
  if (m === 'sgd') return { id: m, method: 'sgd' };
  // rho 0.05 and PGD L-inf eps 8/255, step 2/255: the paper's (and PyTorch reference's) settings.
  if (m === 'sam') return { id: m, method: 'sam', rho: 0.05 };
  return { id: m, method: 'at', norm: 'linf', eps: 8 / 255, stepSize: 2 / 255, steps: pgdSteps(m) };
}

/** Uniform random 32x32x3 images in [0, 1], 10 classes: the kernels do not care what the pixels show. */
function randomSet(n: number, rng: Rng): Dataset {
  const shape = [32, 32, 3];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = i % 10;
  return {
    name: 'random',
    shape,
    numClasses: 10,
    classNames: Array.from({ length: 10 }, (_, i) => `c${i}`),
    x: rng.fillUniform(new Float32Array(n * 32 * 32 * 3), 0, 1),
    y,
    n,
    bounded: true,
    mean: [0.5, 0.5, 0.5],
    std: [0.29, 0.29, 0.29],
  };
}

export function benchData(batch: number, testSize = batch): DatasetSplit {
  const rng = new Rng(7);
  return { train: randomSet(batch * 2, rng.derive('train')), test: randomSet(testSize, rng.derive('test')) };
}

export function benchSpec(c: ModelCase, m: MethodKey): ExperimentSpec {
  const s = structuredClone(DEFAULT_SPEC);
  s.model = { name: c.model, width: c.width, depth: 1 };
  // Plenty of steps, a constant rate: the schedule never ends the run during a measurement.
  s.train = { ...s.train, batchSize: c.batch, epochs: 100_000, schedule: 'constant', augment: false, lr: 0.01 };
  s.runs = [runSpec(m)];
  return s;
}

export interface Spread {
  medianMs: number;
  minMs: number;
  maxMs: number;
  steps: number;
}

export interface Timing extends Spread {
  /** Forward FLOPs of one example, from the model (convs and dense layers). */
  forwardFlops: number;
  /** FLOPs of one step: batch * forward * 3 * idealRatio. */
  stepFlops: number;
  gflops: number;
  /**
   * This method's step over an SGD step of the same case taken just before it (median over the
   * pairs): the two are interleaved, so a change in the machine's load moves both sides alike.
   */
  pairedRatio?: number;
}

export const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

export const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

export interface TimingOptions {
  warmup: number;
  /** Measured steps: at most this many ... */
  steps: number;
  /** ... and no more once this much time has gone, but at least minSteps. */
  budgetMs: number;
  minSteps: number;
  /** Interleave an SGD trainer's steps with the method's to measure pairedRatio (not for SGD itself). */
  paired?: boolean;
}

export interface Stepper {
  step(): Promise<unknown>;
}

/**
 * Steps `steppers` in turn, round after round: `o.warmup` rounds untimed, then timed rounds while
 * `o` allows. One list of step times (ms) per stepper; taken in turn, a change in the machine's
 * load moves all of them alike.
 */
export async function timeInTurn(steppers: Stepper[], o: TimingOptions): Promise<number[][]> {
  for (let i = 0; i < o.warmup; i++) for (const s of steppers) await s.step();
  const times = steppers.map((): number[] => []);
  const t0 = performance.now();
  while (times[0].length < o.steps && (times[0].length < o.minSteps || performance.now() - t0 < o.budgetMs)) {
    for (const [i, s] of steppers.entries()) {
      const t = performance.now();
      await s.step();
      times[i].push(performance.now() - t);
    }
  }
  return times;
}

export const spread = (times: number[]): Spread => ({
  medianMs: round(median(times)),
  minMs: round(Math.min(...times)),
  maxMs: round(Math.max(...times)),
  steps: times.length,
});

/** Median of the ratios a[i] / b[i] of steps taken in turn. */
export const pairedRatio = (a: number[], b: number[]) => round(median(a.map((t, i) => t / b[i])), 3);

/** Median / min / max wall time of Trainer.step() after `warmup` steps. */
export async function timeMethod(
  c: ModelCase,
  m: MethodKey,
  o: TimingOptions,
  data = benchData(c.batch),
): Promise<Timing> {
  const trainer = createTrainer(benchSpec(c, m), m, data);
  const sgd = o.paired && m !== 'sgd' ? createTrainer(benchSpec(c, 'sgd'), 'sgd', data) : undefined;
  try {
    // SGD first in each pair: the method's step is compared with the SGD step just before it.
    const all = await timeInTurn(sgd ? [sgd, trainer] : [trainer], o);
    const times = all[all.length - 1];
    const forwardFlops = flopsPerExample(trainer.model);
    const stepFlops = c.batch * forwardFlops * 3 * idealRatio(m);
    const out: Timing = {
      ...spread(times),
      forwardFlops,
      stepFlops,
      gflops: round(stepFlops / median(times) / 1e6),
    };
    if (sgd) out.pairedRatio = pairedRatio(times, all[0]);
    return out;
  } finally {
    trainer.dispose();
    sgd?.dispose();
  }
}

export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

export interface StepProfile {
  wallMs: number;
  /** Sum of the kernels' own times (ms); differs from wallMs by dispatch, read-back and JS. */
  kernelMs: number;
  kernels: KernelTime[];
  /** Set when the backend could not time its kernels (e.g. no GPU timer queries). */
  note?: string;
}

/** tf.profile of one step after one warm-up step: kernel times summed per kernel name, largest first. */
export async function profileStep(c: ModelCase, m: MethodKey, top = 8): Promise<StepProfile> {
  const trainer = createTrainer(benchSpec(c, m), m, benchData(c.batch));
  const check = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  try {
    await trainer.step();
    // The NaN check reads every kernel's output back: off, so the profile times the kernels only.
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
    const t0 = performance.now();
    const info = await tf.profile(async () => {
      await trainer.step();
      return [];
    });
    const wallMs = performance.now() - t0;
    const byName = new Map<string, KernelTime>();
    let errors = 0;
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : NaN;
      if (!Number.isFinite(ms)) errors++;
      const e = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
      e.ms += Number.isFinite(ms) ? ms : 0;
      e.calls++;
      byName.set(k.name, e);
    }
    const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms || b.calls - a.calls);
    const kernelMs = kernels.reduce((s, k) => s + k.ms, 0);
    const out: StepProfile = {
      wallMs: round(wallMs),
      kernelMs: round(kernelMs),
      kernels: kernels.slice(0, top).map((k) => ({ ...k, ms: round(k.ms) })),
    };
    if (errors > 0) out.note = `${errors} of ${info.kernels.length} kernels could not be timed on this backend`;
    return out;
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', check);
    trainer.dispose();
  }
}

export interface MemorySample {
  step: number;
  numTensors: number;
  numBytes: number;
  /** GPU bytes where the backend reports them (webgl, webgpu). */
  gpuBytes?: number;
}

function memorySample(step: number): MemorySample {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  const s: MemorySample = { step, numTensors: m.numTensors, numBytes: m.numBytes };
  if (typeof m.numBytesInGPU === 'number') s.gpuBytes = m.numBytesInGPU;
  return s;
}

/**
 * Tensors and bytes after step 1 and after every `steps / 5` steps of a tiny model (a leak grows
 * linearly); stops early, with a last sample, once `budgetMs` is spent.
 */
export async function memoryRun(m: MethodKey, steps: number, budgetMs: number): Promise<MemorySample[]> {
  const c: ModelCase = { model: 'cnn' as ModelName, width: 4, batch: 8 };
  const spec = benchSpec(c, m);
  spec.model.depth = 1;
  const trainer = createTrainer(spec, m, benchData(c.batch));
  try {
    const samples: MemorySample[] = [];
    const every = Math.max(1, Math.floor(steps / 5));
    const t0 = performance.now();
    for (let i = 1; i <= steps; i++) {
      await trainer.step();
      const last = i === steps || performance.now() - t0 > budgetMs;
      if (i === 1 || i % every === 0 || last) samples.push(memorySample(i));
      if (last) break;
    }
    return samples;
  } finally {
    trainer.dispose();
  }
}

/** Wall time of a clean + PGD-10 (L-inf 8/255) evaluation of `images` images at batch `c.batch`, scaled to 1,000 images. */
export async function pgdEvalMsPer1000(c: ModelCase, images: number): Promise<number> {
  const data = benchData(c.batch, images);
  const trainer = createTrainer(benchSpec(c, 'sgd'), 'sgd', data);
  try {
    const o = {
      attacks: [{ norm: 'linf' as const, eps: 8 / 255 }],
      pgdSteps: 10,
      pgdSchedule: 'cosine' as const,
      batchSize: c.batch,
      seed: 1,
    };
    // One warm-up batch, so shader compilation is not counted.
    await evaluateModel(
      trainer.model,
      { ...data.test, n: c.batch, x: data.test.x.subarray(0, c.batch * 3072), y: data.test.y.subarray(0, c.batch) },
      o,
    );
    const t0 = performance.now();
    await evaluateModel(trainer.model, data.test, o);
    return round(((performance.now() - t0) / images) * 1000, 0);
  } finally {
    trainer.dispose();
  }
}

/** Runs `f` with the conv gradient forced to `plan`, then restores the per-backend choice. */
export async function withConvGradient<T>(plan: ConvGradientPlan, f: () => Promise<T>): Promise<T> {
  setConvGradientPlan(plan);
  try {
    return await f();
  } finally {
    setConvGradientPlan(undefined);
  }
}

/** The models' conv shapes, small: 3x3 stride 1 and 2, a 1x1 stride-2 shortcut (input, kernel, cOut, stride, pad). */
const CHECK_CONVS: [[number, number, number, number], number, number, number, number][] = [
  [[4, 12, 12, 8], 3, 8, 1, 1],
  [[4, 12, 12, 8], 3, 16, 2, 1],
  [[4, 12, 12, 8], 1, 16, 2, 0],
];

/** Largest relative error of dX and dW on the current backend against the float64 definition (convReference.ts). */
export async function convGradientError(): Promise<number> {
  const rng = new Rng(11);
  let worst = 0;
  for (const [xShape, k, cOut, stride, pad] of CHECK_CONVS) {
    const x = tf.tensor(rng.fillNormal(new Float32Array(xShape.reduce((a, b) => a * b, 1))), xShape) as tf.Tensor4D;
    const w = tf.tensor(rng.fillNormal(new Float32Array(k * k * xShape[3] * cOut)), [
      k,
      k,
      xShape[3],
      cOut,
    ]) as tf.Tensor4D;
    const ho = Math.floor((xShape[1] + 2 * pad - k) / stride) + 1;
    const r = tf.tensor(rng.fillNormal(new Float32Array(xShape[0] * ho * ho * cOut)), [xShape[0], ho, ho, cOut]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)),
    )([x, w]);
    const [dx, dw, xv, wv, rv] = await Promise.all([g[0].data(), g[1].data(), x.data(), w.data(), r.data()]);
    const ref = convGradReference(xv, xShape, wv, w.shape, rv, stride, pad);
    worst = Math.max(worst, maxRelError(dx, ref.dx), maxRelError(dw, ref.dw));
    tf.dispose([x, w, r, ...g]);
  }
  return worst;
}
