// Sharpness-Aware Minimization (Foret et al., 2021), the gradient half of a SAM step:
//   g   = grad L(w)                       BatchNorm 'train': the step's one running-stat report
//   e_w = rho * g / (||g||_2 + 1e-12)     one global L2 norm over all parameters
//   g'  = grad L(w + e_w)                 same batch, BatchNorm 'train-frozen'
// then w is restored bit-exactly from copies (not by subtracting e_w, which would round) and the
// caller's optimiser steps from w with g'. With rho = 0, g' is g and the step is SGD's exactly.
import * as tf from '@tensorflow/tfjs';
import { WeightOrigin } from '../landscape/weightOrigin';
import type { BatchStatsSink, Model } from '../model/model';
import { disposeLossAndGrads, lossAndGrads, type DeviceBatch, type LossAndGrads } from './objective';

/** SAM's 1e-12 guard in the normalisation of g. */
const SAM_EPS = 1e-12;

/** e_w = rho * g / (||g||_2 + 1e-12), with one norm over all of `grads`. */
export function samPerturbation(grads: tf.Tensor[], rho: number): tf.Tensor[] {
  return tf.tidy(() => {
    // One reduction over all parameters at once: on GPU backends every kernel launch costs, and a
    // per-tensor square and sum would add two per parameter tensor to each SAM step.
    const norm = tf.sqrt(tf.sum(tf.square(tf.concat(grads.map((g) => tf.reshape(g, [-1]))))));
    const scale = tf.div(rho, tf.add(norm, SAM_EPS));
    return grads.map((g) => tf.mul(g, scale));
  });
}

/** Loss and accuracy at w (what the step reports) with the gradient taken at w + e_w. */
export function samGradients(model: Model, batch: DeviceBatch, rho: number, sink?: BatchStatsSink): LossAndGrads {
  const first = lossAndGrads(model, batch.x, batch, 'train', sink);
  const origin = new WeightOrigin(model.params.map((p) => p.variable));
  let second: LossAndGrads | undefined;
  try {
    const e = samPerturbation(first.grads, rho);
    origin.shift(e);
    tf.dispose(e);
    second = lossAndGrads(model, batch.x, batch, 'train-frozen');
  } finally {
    origin.dispose(); // w back bit-exactly
    if (!second) disposeLossAndGrads(first);
  }
  tf.dispose([second.loss, second.correct, ...first.grads]);
  return { loss: first.loss, correct: first.correct, grads: second.grads };
}
