// Input-space slices: the mean loss over the fixed batch of x + t u, where u is either the
// adversarial direction of each input or a random one of the same L-inf norm (1, so t is the
// perturbation in pixel units), t in [0, eps]; and the plane x + a u_adv + b u_rand, a, b in
// [-eps, eps]. Inputs are clipped to [0, 1] for pixel data, as the attacks do.
//   adversarial u: 'pgd'           the L-inf PGD perturbation at eps (steps as in the evaluation,
//                                  step eps/4, random start), divided by its largest entry per example;
//                  'gradient-sign' sign(grad_x L), the FGSM direction (Goodfellow et al., 2015).
//   random u:      a random sign vector, the L-inf sphere's counterpart of a Gaussian direction.
// Everything is seeded from the experiment seed, so every run is sliced along comparable directions.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import { pgd } from '../train/attack';
import { crossEntropy, type DeviceBatch } from '../train/objective';
import { linspace } from './axes';
import { throwIfCancelled } from './cancel';
import { batchScores, forChunks, GRAD_CHUNK } from './evalBatch';
import type { InputAdversary, InputSlice1d, InputSlice2d } from './results';
import { gridRows, sweep, unmeasured, type SliceHooks } from './sweep';

export interface InputSliceOptions {
  /** Largest perturbation, pixel units (spec.landscape.inputEps). */
  eps: number;
  points: number;
  adversary: InputAdversary;
  /** PGD steps of the adversarial direction (spec.eval.pgdSteps). */
  pgdSteps: number;
  /** Clip to [0, 1] (pixel data). */
  bounded: boolean;
  /** The experiment seed. */
  seed: number;
}

/** Per-example unit directions, shaped like the batch's inputs (the caller disposes them). */
export interface InputDirections {
  adv: tf.Tensor;
  rand: tf.Tensor;
  gradEvals: number;
}

const TINY = 1e-12;

/** The parts as one tensor along the batch axis (the parts are disposed). */
function joined(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0];
  const whole = tf.concat(parts);
  tf.dispose(parts);
  return whole;
}

export function inputDirections(model: Model, batch: DeviceBatch, o: InputSliceOptions): InputDirections {
  const x = batch.x;
  const signs = new Float32Array(x.size);
  const rng = new Rng(o.seed).derive('landscape-input-rand');
  for (let i = 0; i < signs.length; i++) signs[i] = rng.uniform() < 0.5 ? -1 : 1;
  const rand = tf.tensor(signs, x.shape, 'float32');
  // Both directions are per example (eval mode: no example moves another's loss), so they are
  // computed a chunk of the batch at a time, at a training step's memory or less (evalBatch.ts).
  if (o.adversary === 'gradient-sign') {
    const parts = forChunks(batch, GRAD_CHUNK, (part) =>
      tf.tidy(() => tf.sign(tf.grad((xi: tf.Tensor) => crossEntropy(model.forward(xi, 'eval'), part.oneHot))(part.x))),
    );
    return { adv: joined(parts), rand, gradEvals: 1 };
  }
  // One stream across the chunks, drawn in row order: the random starts are the whole batch's.
  const startRng = new Rng(o.seed).derive('landscape-input-pgd');
  const xAdv = joined(
    forChunks(batch, GRAD_CHUNK, (part) =>
      pgd(model, part.x, part.oneHot, {
        norm: 'linf',
        eps: o.eps,
        stepSize: o.eps / 4,
        steps: o.pgdSteps,
        bounded: o.bounded,
        mode: 'eval',
        rng: startRng,
      }),
    ),
  );
  const adv = tf.tidy(() => {
    const delta = tf.sub(xAdv, x);
    const axes = x.shape.slice(1).map((_, i) => i + 1);
    return tf.div(delta, tf.maximum(tf.max(tf.abs(delta), axes, true), TINY));
  });
  xAdv.dispose();
  return { adv, rand, gradEvals: o.pgdSteps };
}

/**
 * [loss, accuracy] at x + sum_k c_k u_k, clipped to [0, 1] when bounded. Its own tidy: a row's
 * moved inputs would otherwise live until the row ends (a 2-D row of 15 points at batch 128 on
 * 32x32x3 images held 110 MB and grew the wasm heap by 50 MB).
 */
function scoreAt(model: Model, batch: DeviceBatch, dirs: tf.Tensor[], coefs: number[], bounded: boolean): tf.Tensor1D {
  return tf.tidy(() => {
    let out = batch.x;
    dirs.forEach((u, k) => {
      if (coefs[k] !== 0) out = tf.add(out, tf.mul(u, coefs[k]));
    });
    return batchScores(model, batch, bounded ? tf.clipByValue(out, 0, 1) : out);
  });
}

/** Computes the input directions, sweeps the slice's rows along them, then frees them. */
async function sweepAlong<R extends InputSlice1d | InputSlice2d>(
  model: Model,
  batch: DeviceBatch,
  o: InputSliceOptions,
  hooks: SliceHooks<R>,
  out: R,
  t0: number,
  rows: number,
  scoreRow: (dirs: InputDirections, i: number) => tf.Tensor,
  store: (i: number, values: Float32Array) => void,
): Promise<R> {
  throwIfCancelled(hooks.signal);
  const dirs = inputDirections(model, batch, o);
  out.gradEvals = dirs.gradEvals;
  try {
    return await sweep(out, rows, (i) => scoreRow(dirs, i), store, hooks, t0);
  } finally {
    tf.dispose([dirs.adv, dirs.rand]);
  }
}

export async function inputSlice1d(
  model: Model,
  batch: DeviceBatch,
  o: InputSliceOptions,
  hooks: SliceHooks<InputSlice1d> = {},
): Promise<InputSlice1d> {
  const t0 = performance.now();
  const ts = linspace(0, o.eps, o.points);
  const out: InputSlice1d = {
    kind: 'input-1d',
    adversary: o.adversary,
    ts,
    lossAdv: [],
    lossRand: [],
    accAdv: [],
    accRand: [],
    ...unmeasured('input-1d', batch, o),
  };
  const scoreRow = (dirs: InputDirections, i: number) =>
    tf.concat([
      scoreAt(model, batch, [dirs.adv], [ts[i]], o.bounded),
      scoreAt(model, batch, [dirs.rand], [ts[i]], o.bounded),
    ]);
  const store = (_: number, [lossAdv, accAdv, lossRand, accRand]: Float32Array) => {
    out.lossAdv.push(lossAdv);
    out.accAdv.push(accAdv);
    out.lossRand.push(lossRand);
    out.accRand.push(accRand);
  };
  return sweepAlong(model, batch, o, hooks, out, t0, ts.length, scoreRow, store);
}

export async function inputSlice2d(
  model: Model,
  batch: DeviceBatch,
  o: InputSliceOptions,
  hooks: SliceHooks<InputSlice2d> = {},
): Promise<InputSlice2d> {
  const t0 = performance.now();
  const alphas = linspace(-o.eps, o.eps, o.points);
  const betas = linspace(-o.eps, o.eps, o.points);
  const out: InputSlice2d = {
    kind: 'input-2d',
    adversary: o.adversary,
    alphas,
    betas,
    loss: [],
    acc: [],
    ...unmeasured('input-2d', batch, o),
  };
  const scoreRow = (dirs: InputDirections, i: number) =>
    tf.stack(betas.map((b) => scoreAt(model, batch, [dirs.adv, dirs.rand], [alphas[i], b], o.bounded)));
  return sweepAlong(model, batch, o, hooks, out, t0, alphas.length, scoreRow, gridRows(out));
}
