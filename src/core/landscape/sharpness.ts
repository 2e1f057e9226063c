// Sharpness numbers of the weights on the fixed batch, eval mode:
//   SAM sharpness  max_{||e|| <= rho} L(w + e) - L(w) ~ L(w + rho g/||g||_2) - L(w)   (Foret et al., 2021,
//                  the first-order inner maximiser SAM itself uses; about rho ||g|| for small rho)
//   top Hessian eigenvalue by power iteration (hessian.ts).
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/model';
import type { DeviceBatch } from '../train/objective';
import { samPerturbation } from '../train/sam';
import { throwIfCancelled, type CancelSignal } from './cancel';
import { estimateCost } from './cost';
import { batchScores, evalGrads } from './evalBatch';
import { topHessianEigenvalue, type PowerIterationOptions } from './hessian';
import type { SharpnessResult } from './results';
import { WeightOrigin } from './weightOrigin';

export interface SamSharpness {
  loss: number;
  perturbedLoss: number;
  sharpness: number;
  gradNorm: number;
}

export async function samSharpness(model: Model, batch: DeviceBatch, rho: number): Promise<SamSharpness> {
  if (!(rho >= 0)) throw new Error(`SAM sharpness needs rho >= 0, got ${rho}`);
  const origin = new WeightOrigin(model.params.map((p) => p.variable));
  const grads = evalGrads(model, batch);
  const owned: tf.Tensor[] = [...grads];
  let scores: tf.Tensor | undefined;
  try {
    const clean = tf.tidy(() => batchScores(model, batch).gather(0));
    owned.push(clean);
    const e = samPerturbation(grads, rho);
    origin.moveTo([e], [1]);
    tf.dispose(e);
    scores = tf.tidy(() =>
      tf.stack([clean, batchScores(model, batch).gather(0), tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))))]),
    );
  } finally {
    origin.dispose();
    tf.dispose(owned);
  }
  const [loss, perturbedLoss, gradNorm] = await scores.data().finally(() => scores.dispose());
  return { loss, perturbedLoss, sharpness: perturbedLoss - loss, gradNorm };
}

/** The model's loss gradient on the batch in eval mode, for the power iteration. */
export function evalGradient(model: Model, batch: DeviceBatch): () => tf.Tensor[] {
  return () => evalGrads(model, batch);
}

export async function sharpness(
  model: Model,
  batch: DeviceBatch,
  rho: number,
  power: PowerIterationOptions,
  signal?: CancelSignal,
): Promise<SharpnessResult> {
  const t0 = performance.now();
  throwIfCancelled(signal);
  const sam = await samSharpness(model, batch, rho);
  const top = await topHessianEigenvalue(
    model.params.map((p) => p.variable),
    evalGradient(model, batch),
    power,
    signal,
  );
  return {
    kind: 'sharpness',
    loss: sam.loss,
    samSharpness: sam.sharpness,
    rho,
    hessianTop: top.eigenvalue,
    hessianResidual: top.residual,
    iterations: top.iterations,
    relChange: top.relChange,
    tolerance: power.tolerance,
    converged: top.converged,
    batchSize: batch.labels.shape[0],
    estimate: estimateCost('sharpness', { maxIterations: power.maxIterations }),
    evals: 1,
    gradEvals: 1 + top.gradEvals,
    ms: performance.now() - t0,
  };
}
