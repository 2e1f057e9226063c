// Auto-PGD (Croce & Hein, "Reliable evaluation of adversarial robustness with an ensemble of diverse
// parameter-free attacks", ICML 2020), the attacks of AutoAttack's standard version: APGD on the
// cross-entropy, then targeted APGD on the DLR loss. The schedule is the published one (paper, Sec. 3,
// and fra31/auto-attack autopgd_base.py):
//   step size eta = 2 eps per example at the start; x1 = P(x0 + eta sign(g0)) (l2: g / ||g||_2), then
//   z = P(x_k + eta sign(g_k)),  x_{k+1} = P(x_k + 0.75 (z - x_k) + 0.25 (x_k - x_{k-1}))  (momentum 0.75);
//   checkpoints after 0.22 N iterations, the interval shrinking by 0.03 N down to 0.06 N; at a
//   checkpoint an example's step size halves and it restarts from its best point when fewer than
//   75 % of the interval's steps raised its loss, or when its step size was not halved at the previous
//   checkpoint and its best loss has not risen since.
//   DLR targeted: -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2), t = the class of the 2nd, 3rd, ...
//   highest clean logit (needs at least 4 classes).
// An example counts as broken when any iterate of any restart is misclassified. Random starts come
// from the seeded Rng (linf: x + eps t / ||t||_inf, t ~ U[-1, 1]^d; l2: eps on the sphere, as AutoAttack).
import * as tf from '@tensorflow/tfjs';
import type { ForwardMode, Model } from '../model/model';
import type { Rng } from '../rng';
import type { Norm } from '../spec';
import { perExampleNorm, project } from './attack';
import { attackCrossEntropy } from './attackLoss';

export type ApgdLoss = 'ce' | 'dlr-targeted';

export interface ApgdOptions {
  norm: Norm;
  eps: number;
  /** Iterations N of one run. */
  steps: number;
  loss: ApgdLoss;
  bounded: boolean;
  mode: ForwardMode;
  rng: Rng;
  /** After each iteration (the caller's liveness: a run of 100 steps on a large model is long). */
  onStep?(): void;
}

/** Momentum of the update (paper: alpha = 0.75). */
const MOMENTUM = 0.75;
/** Share of an interval's steps that must raise the loss (paper: rho = 0.75). */
const RHO = 0.75;
const TINY = 1e-12;

/** The iterations (0-based, counted after the step) at which the step size is checked: 0.22 N, then intervals shrinking by 0.03 N to 0.06 N. */
export function apgdCheckpoints(steps: number): number[] {
  const first = Math.max(Math.floor(0.22 * steps), 1);
  const min = Math.max(Math.floor(0.06 * steps), 1);
  const decrease = Math.max(Math.floor(0.03 * steps), 1);
  const out: number[] = [];
  for (let k = first, at = first - 1; at < steps; k = Math.max(k - decrease, min), at += k) out.push(at);
  return out;
}

/** Per-example loss the attack ascends: cross-entropy, or targeted DLR against `target`. */
function perExampleLoss(logits: tf.Tensor2D, oneHot: tf.Tensor2D, targetOneHot: tf.Tensor2D | null): tf.Tensor1D {
  if (!targetOneHot) return attackCrossEntropy(logits, oneHot);
  const zy = tf.sum(tf.mul(oneHot, logits), -1);
  const zt = tf.sum(tf.mul(targetOneHot, logits), -1);
  const [p1, , p3, p4] = tf.unstack(topLogits(logits), 1);
  return tf.div(tf.neg(tf.sub(zy, zt)), tf.add(tf.sub(p1, tf.mul(tf.add(p3, p4), 0.5)), TINY)) as tf.Tensor1D;
}

/** The 4 largest logits of each row, sorted; tfjs's topk has no gradient, so this one routes dy to where each value came from. */
const topLogits = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const { values, indices } = tf.topk(logits, 4);
  save([indices]);
  return {
    value: values,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.sum(tf.mul(tf.oneHot(saved[0] as tf.Tensor2D, logits.shape[1]!), tf.expandDims(dy, -1)), 1),
  };
}) as (logits: tf.Tensor2D) => tf.Tensor2D;

function perExampleMax(v: tf.Tensor): tf.Tensor {
  const axes = v.shape.slice(1).map((_, i) => i + 1);
  return tf.max(tf.abs(v), axes, true);
}

/** Per example: the row of `a` where `rows` has a 1, else the row of `b`. */
function pick(rows: Uint8Array, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const cond = tf.cast(
      tf.tensor(Int32Array.from(rows), [rows.length, ...a.shape.slice(1).map(() => 1)], 'int32'),
      'bool',
    );
    return tf.where(tf.broadcastTo(cond, a.shape), a, b);
  });
}

/**
 * One APGD run on a batch. `active` marks the rows to attack (the others are padding or already
 * broken); returns, for each row, 1 when some iterate was misclassified. `target` (dlr-targeted) is
 * the target class of each row. Stops early once every active row is broken (the answer is then known).
 */
export async function apgdRun(
  model: Model,
  x: tf.Tensor,
  labels: Int32Array,
  target: Int32Array | null,
  active: Uint8Array,
  o: ApgdOptions,
): Promise<Uint8Array> {
  if (!(o.eps > 0) || !Number.isInteger(o.steps) || o.steps < 1)
    throw new Error(`APGD needs eps > 0 and integer steps >= 1, got eps ${o.eps}, steps ${o.steps}`);
  if (o.mode === 'train') throw new Error("APGD runs with BatchNorm 'train-frozen' or 'eval', not 'train'");
  if ((o.loss === 'dlr-targeted') !== (target !== null))
    throw new Error('APGD: a target class per row goes with the dlr-targeted loss, and only with it');
  const batch = labels.length;
  const broken = new Uint8Array(batch);
  const pending = () => active.some((a, i) => a === 1 && broken[i] === 0);
  if (!pending()) return broken;
  const numClasses = model.numClasses;
  if (target && numClasses < 4) throw new Error(`targeted DLR needs at least 4 classes, got ${numClasses}`);
  const labelT = tf.tensor1d(labels, 'int32');
  const oneHot = tf.oneHot(labelT, numClasses) as tf.Tensor2D;
  const targetOneHot = target
    ? tf.tidy(() => tf.oneHot(tf.tensor1d(target, 'int32'), numClasses) as tf.Tensor2D)
    : null;
  const t = new Float32Array(x.size);
  if (o.norm === 'linf') o.rng.fillUniform(t, -1, 1);
  else o.rng.fillNormal(t);
  // Loss and misclassification kept from inside the gradient's forward pass (one pass per iteration).
  const kept: { loss?: tf.Tensor1D; wrong?: tf.Tensor1D } = {};
  const gradOf = tf.grad((xa: tf.Tensor) => {
    const logits = model.forward(xa, o.mode);
    const loss = perExampleLoss(logits, oneHot, targetOneHot);
    kept.loss = tf.keep(loss);
    kept.wrong = tf.keep(tf.cast(tf.notEqual(tf.argMax(logits, -1), labelT), 'float32') as tf.Tensor1D);
    return tf.sum(loss);
  });
  const evaluate = async (xa: tf.Tensor): Promise<{ grad: tf.Tensor; loss: Float32Array; wrong: Float32Array }> => {
    const grad = gradOf(xa);
    const both = tf.stack([kept.loss!, kept.wrong!]);
    tf.dispose([kept.loss!, kept.wrong!]);
    const values = (await both.data().finally(() => both.dispose())) as Float32Array;
    return { grad, loss: values.slice(0, batch), wrong: values.slice(batch) };
  };
  const stepSize = new Float32Array(batch).fill(2 * o.eps);
  let xAdv = tf.tidy(() => {
    const start = tf.tensor(t, x.shape, 'float32');
    const unit =
      o.norm === 'linf'
        ? tf.div(start, tf.maximum(perExampleMax(start), TINY))
        : tf.div(start, tf.maximum(perExampleNorm(start), TINY));
    return project(x, tf.add(x, tf.mul(unit, o.eps)), o);
  });
  let xOld = xAdv.clone();
  let { grad, loss, wrong } = await evaluate(xAdv);
  const mark = (w: Float32Array) => w.forEach((v, i) => (broken[i] |= v > 0.5 && active[i] ? 1 : 0));
  mark(wrong);
  let xBest = xAdv.clone();
  let gradBest = grad.clone();
  const lossBest = loss.slice();
  let lossBestLastCheck = lossBest.slice();
  let reducedLastCheck = new Uint8Array(batch).fill(1);
  let increases = new Int32Array(batch);
  const checkpoints = new Set(apgdCheckpoints(o.steps));
  let interval = Math.max(Math.floor(0.22 * o.steps), 1);
  const decrease = Math.max(Math.floor(0.03 * o.steps), 1);
  const minInterval = Math.max(Math.floor(0.06 * o.steps), 1);
  try {
    for (let i = 0; i < o.steps && pending(); i++) {
      const a = i > 0 ? MOMENTUM : 1;
      const eta = tf.tensor(stepSize, [batch, ...x.shape.slice(1).map(() => 1)], 'float32');
      const next = tf.tidy(() => {
        const dir = o.norm === 'linf' ? tf.sign(grad) : tf.div(grad, tf.add(perExampleNorm(grad), TINY));
        const z = project(x, tf.add(xAdv, tf.mul(eta, dir)), o);
        return project(x, tf.add(tf.add(xAdv, tf.mul(tf.sub(z, xAdv), a)), tf.mul(tf.sub(xAdv, xOld), 1 - a)), o);
      });
      eta.dispose();
      xOld.dispose();
      xOld = xAdv;
      xAdv = next;
      grad.dispose();
      const prevLoss = loss;
      ({ grad, loss, wrong } = await evaluate(xAdv));
      o.onStep?.();
      mark(wrong);
      const better = new Uint8Array(batch);
      for (let r = 0; r < batch; r++) {
        if (loss[r] > prevLoss[r]) increases[r]++;
        if (loss[r] > lossBest[r]) {
          better[r] = 1;
          lossBest[r] = loss[r];
        }
      }
      if (better.some((b) => b === 1)) {
        const [nb, ng] = [pick(better, xAdv, xBest), pick(better, grad, gradBest)];
        tf.dispose([xBest, gradBest]);
        [xBest, gradBest] = [nb, ng];
      }
      if (checkpoints.has(i)) {
        // Counted over the interval's steps: the first interval's count includes the step from x0.
        const halve = new Uint8Array(batch);
        for (let r = 0; r < batch; r++) {
          const oscillates = increases[r] <= interval * RHO;
          const stalled = reducedLastCheck[r] === 0 && lossBestLastCheck[r] >= lossBest[r];
          halve[r] = oscillates || stalled ? 1 : 0;
          if (halve[r]) stepSize[r] /= 2;
        }
        reducedLastCheck = halve;
        lossBestLastCheck = lossBest.slice();
        increases = new Int32Array(batch);
        if (halve.some((h) => h === 1)) {
          const [nx, ng] = [pick(halve, xBest, xAdv), pick(halve, gradBest, grad)];
          tf.dispose([xAdv, grad]);
          [xAdv, grad] = [nx, ng];
        }
        interval = Math.max(interval - decrease, minInterval);
      }
    }
  } finally {
    tf.dispose([xAdv, xOld, grad, xBest, gradBest, labelT, oneHot]);
    if (targetOneHot) targetOneHot.dispose();
  }
  return broken;
}
