// What SAM's weight perturbation does to the input, on the model being trained (Zhang et al., ICML
// 2024). SAM moves the weights by e = rho g / ||g||_2 (train/sam.ts: ONE norm over all parameters,
// so the first conv gets only its slice E of that global e, ||E|| <= rho); on the first conv,
// (W + E) z = W (z + d / std) turns E into an input shift d (impliedShift.ts), which we set beside
// the model's PGD perturbation delta of the same image. Every model is measured at the same rho
// (the experiment's SAM radius), so SGD's and AT's d say what SAM's step would do to them.
//
// g is the gradient on the experiment's fixed batch in BatchNorm 'eval' mode, like the sharpness
// numbers (a training step's g is on a training batch with batch statistics); d and delta are
// for a few images of that batch, one per class as far as there are classes. Weights and buffers
// are left as they were: E is only read, never added to the model.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import type { ExperimentSpec, RunSpec } from '../spec';
import { pgd } from '../train/attack';
import { madryStepSize } from '../train/evalStepSizes';
import type { DeviceBatch } from '../train/objective';
import { evalGrads } from '../landscape/evalBatch';
import { samPerturbation } from '../train/sam';
import { estimateCost } from '../landscape/cost';
import type { DualityAttack, DualityImage, DualityResult } from '../landscape/results';
import { DEFAULT_SHIFT_OPTIONS, impliedInputShift, type ShiftOptions } from './impliedShift';

export interface DualityOptions {
  rho: number;
  attack: DualityAttack;
  /** Images shown. */
  images: number;
  /** Clip x + delta to [0, 1] (pixel data). */
  bounded: boolean;
  seed: number;
  shift?: ShiftOptions;
}

/** Images of a duality result. */
export const DUALITY_IMAGES = 4;

/** The AT run's own training attack; for other runs the evaluation's first attack at its PGD steps, with Madry's fixed step. */
export function dualityAttack(spec: ExperimentSpec, run: RunSpec): DualityAttack {
  if (run.method === 'at') return { norm: run.norm, eps: run.eps, stepSize: run.stepSize, steps: run.steps };
  // No attack in the evaluation (the lesson's first step): an L-inf one at the input slices' budget.
  const a = spec.eval.attacks[0] ?? { norm: 'linf' as const, eps: spec.landscape.inputEps };
  const steps = spec.eval.pgdSteps;
  // Madry's fixed step: the view shows one PGD direction and records one step size, whatever
  // schedule the evaluation's accuracy uses.
  return { norm: a.norm, eps: a.eps, stepSize: madryStepSize(a.eps, steps), steps };
}

/** Up to `k` batch indices, the first example of each class in batch order, then the next ones. */
function pickImages(labels: Int32Array, k: number): number[] {
  const seen = new Set<number>();
  const first: number[] = [];
  labels.forEach((y, i) => {
    if (seen.has(y)) return;
    seen.add(y);
    first.push(i);
  });
  const rest = Array.from(labels.keys()).filter((i) => !first.includes(i));
  return [...first, ...rest].slice(0, k);
}

/** The norms and cosine of each image, from the flattened d and delta. */
function imageNumbers(
  d: Float32Array,
  delta: Float32Array,
  per: number,
  labels: number[],
  rel: number[],
  normal: number[],
): DualityImage[] {
  return labels.map((label, i) => {
    let dd = 0,
      pp = 0,
      dp = 0,
      dMax = 0,
      pMax = 0;
    for (let j = i * per; j < (i + 1) * per; j++) {
      dd += d[j] * d[j];
      pp += delta[j] * delta[j];
      dp += d[j] * delta[j];
      dMax = Math.max(dMax, Math.abs(d[j]));
      pMax = Math.max(pMax, Math.abs(delta[j]));
    }
    // Clamped: float rounding can put |cos| a hair above 1.
    const cos = dd > 0 && pp > 0 ? Math.max(-1, Math.min(1, dp / Math.sqrt(dd * pp))) : 0;
    return {
      label,
      relResidual: rel[i],
      normalResidual: normal[i],
      dL2: 255 * Math.sqrt(dd),
      dLinf: 255 * dMax,
      deltaL2: 255 * Math.sqrt(pp),
      deltaLinf: 255 * pMax,
      cos,
    };
  });
}

export async function dualityView(model: Model, batch: DeviceBatch, o: DualityOptions): Promise<DualityResult> {
  const t0 = performance.now();
  const conv = model.inputConv;
  if (!conv)
    throw new Error(`the duality view needs a model whose first layer is a convolution; ${model.name} has none`);
  if (!(o.rho >= 0)) throw new Error(`the duality view needs rho >= 0, got ${o.rho}`);
  const layer = model.params.findIndex((p) => p.variable === conv.weight);
  if (layer < 0) throw new Error(`model ${model.name}: its input conv is not one of its parameters`);
  const labelsAll = await batch.labels.data();
  const idx = pickImages(Int32Array.from(labelsAll), o.images);
  const picked = tf.tidy(() => {
    const at = tf.tensor1d(idx, 'int32');
    return { x: tf.gather(batch.x, at) as tf.Tensor4D, oneHot: tf.gather(batch.oneHot, at) as tf.Tensor2D };
  });
  let e: tf.Tensor[] = [];
  let d: tf.Tensor4D | undefined;
  let delta: tf.Tensor | undefined;
  try {
    const grads = evalGrads(model, batch);
    try {
      e = samPerturbation(grads, o.rho);
    } finally {
      tf.dispose(grads);
    }
    const E = e[layer] as tf.Tensor4D;
    const shift = await impliedInputShift(
      picked.x,
      { weight: conv.weight as tf.Tensor4D, stride: conv.stride, pad: conv.pad, mean: conv.mean, std: conv.std },
      E,
      o.shift ?? DEFAULT_SHIFT_OPTIONS,
    );
    d = shift.d;
    const xAdv = pgd(model, picked.x, picked.oneHot, {
      ...o.attack,
      bounded: o.bounded,
      mode: 'eval',
      rng: new Rng(o.seed).derive('duality-pgd'),
    });
    delta = tf.tidy(() => tf.sub(xAdv, picked.x));
    xAdv.dispose();
    const eNorm = tf.tidy(() => tf.sqrt(tf.sum(tf.square(E))));
    const [xs, ds, deltas, en] = await Promise.all([
      picked.x.data(),
      d.data(),
      delta.data(),
      eNorm.data().finally(() => eNorm.dispose()),
    ]);
    const per = picked.x.size / idx.length;
    const labels = idx.map((i) => labelsAll[i]);
    return {
      kind: 'duality',
      rho: o.rho,
      layer: model.params[layer].name,
      firstShare: o.rho > 0 ? Math.min(1, en[0] / o.rho) : 0,
      attack: o.attack,
      shape: picked.x.shape.slice(1),
      x: Float32Array.from(xs),
      d: Float32Array.from(ds),
      delta: Float32Array.from(deltas),
      images: imageNumbers(
        ds as Float32Array,
        deltas as Float32Array,
        per,
        labels,
        shift.relResidual,
        shift.normalResidual,
      ),
      iterations: shift.iterations,
      batchSize: batch.labels.shape[0],
      estimate: estimateCost('duality', { pgdSteps: o.attack.steps }),
      evals: 0,
      gradEvals: 1 + o.attack.steps,
      ms: performance.now() - t0,
    };
  } finally {
    tf.dispose([picked.x, picked.oneHot, ...e]);
    d?.dispose();
    delta?.dispose();
  }
}
