// Projected gradient descent on the inputs (Madry et al., 2018): from a random start in the
// eps-ball, k ascent steps on the cross-entropy, each followed by projection back to the ball
// (and to [0, 1] for pixel data).
//   linf: x' = P(x' + a_i * sign(grad)),       ball |x' - x|_inf <= eps, start U[-eps, eps]^d
//   l2:   x' = P(x' + a_i * grad / ||grad||_2), ball ||x' - x||_2 <= eps per example,
//         start uniform in the L2 ball: a uniform direction (a normalised Gaussian) at radius
//         eps * U^(1/d), U ~ U[0, 1] (the uniform distribution on the d-ball; the radius alone would
//         crowd the start near the centre, where only a vanishing share of the ball's volume lies)
// with a_i the step size of step i (fixed in training, a schedule in evaluation: evalStepSizes.ts).
// eps = 0 leaves the inputs bit-exactly as they are. The gradient is the cross-entropy's up to a
// positive factor per example, computed so that it does not underflow (attackLoss.ts).
import * as tf from '@tensorflow/tfjs';
import type { ForwardMode, Model } from '../model/model';
import type { Rng } from '../rng';
import type { Norm } from '../spec';
import { attackCrossEntropy } from './attackLoss';

export interface PgdOptions {
  norm: Norm;
  eps: number;
  /** One step size for every step, or one per step (`steps` of them: a schedule, evalStepSizes.ts). */
  stepSize: number | readonly number[];
  steps: number;
  /** Clip to [0, 1] (pixel data). */
  bounded: boolean;
  /** BatchNorm mode of the attack's passes: 'train-frozen' in adversarial training, 'eval' in evaluation. */
  mode: ForwardMode;
  /** Source of the random start; advanced by one draw per input value. */
  rng: Rng;
  /**
   * Evaluation: each example keeps the first iterate (the start included) that the model
   * misclassifies, instead of the last one, which may have stepped back to the right class. An
   * example then counts as broken when any iterate broke it, as APGD and AutoAttack count (Croce &
   * Hein, 2020). One more forward pass a step. Training (Madry's AT) uses the last iterate.
   */
  keepFirstMiss?: boolean;
}

/** Guards divisions by a norm that may be 0 (a zero gradient, a zero perturbation). */
const TINY = 1e-12;

/** Adversarial inputs for `x` against labels `oneHot` (same shape as x; the caller disposes it). */
export function pgd(model: Model, x: tf.Tensor, oneHot: tf.Tensor2D, o: PgdOptions): tf.Tensor {
  const stepsOk = Number.isInteger(o.steps) && o.steps >= 0;
  const sizes = typeof o.stepSize === 'number' ? new Array<number>(stepsOk ? o.steps : 0).fill(o.stepSize) : o.stepSize;
  if (!(o.eps >= 0) || !stepsOk || sizes.length !== o.steps || !sizes.every((a) => a >= 0)) {
    throw new Error(
      `PGD needs eps >= 0, integer steps >= 0 and step sizes >= 0 (one, or one per step), got eps ${o.eps}, steps ${o.steps}, stepSize ${String(o.stepSize)}`,
    );
  }
  // Attack passes must never move the BatchNorm running statistics.
  if (o.mode === 'train') throw new Error("PGD runs with BatchNorm 'train-frozen' or 'eval', not 'train'");
  const start = randomStart(o.norm, o.eps, x.shape[0], x.size / x.shape[0], o.rng);
  return tf.tidy(() => {
    const lossAt = (xa: tf.Tensor) => tf.sum(attackCrossEntropy(model.forward(xa, o.mode), oneHot));
    const gradAt = tf.grad(lossAt);
    let adv = project(x, tf.add(x, tf.tensor(start, x.shape, 'float32')), o);
    const keeper = o.keepFirstMiss ? firstMissKeeper(model, oneHot, o.mode, adv) : undefined;
    for (let i = 0; i < o.steps; i++) {
      const prev = adv;
      adv = tf.tidy(() => {
        const g = gradAt(prev);
        const dir = o.norm === 'linf' ? tf.sign(g) : tf.div(g, tf.add(perExampleNorm(g), TINY));
        return project(x, tf.add(prev, tf.mul(dir, sizes[i])), o);
      });
      prev.dispose();
      keeper?.see(adv);
    }
    if (!keeper) return adv;
    adv.dispose();
    return keeper.kept();
  });
}

/**
 * keepFirstMiss's bookkeeping, from the start `x0` on: per example, the first iterate the model
 * misclassifies once one is found, else the latest. Only built when asked for, so the attack in
 * adversarial training pays nothing for it.
 */
function firstMissKeeper(model: Model, oneHot: tf.Tensor2D, mode: ForwardMode, x0: tf.Tensor) {
  const labels = tf.argMax(oneHot, -1);
  const missed = (xa: tf.Tensor) => tf.tidy(() => tf.notEqual(tf.argMax(model.forward(xa, mode), -1), labels));
  // A per-example flag shaped to broadcast against x.
  const perExample = [x0.shape[0], ...x0.shape.slice(1).map(() => 1)];
  let kept = x0.clone();
  let found = missed(x0);
  return {
    see(next: tf.Tensor) {
      const [k, f] = tf.tidy(() => [
        tf.where(tf.reshape(found, perExample), kept, next),
        tf.logicalOr(found, missed(next)),
      ]);
      tf.dispose([kept, found]);
      [kept, found] = [k, f];
    },
    /** The kept iterates; the keeper's other tensors are freed. */
    kept() {
      tf.dispose([found, labels]);
      return kept;
    },
  };
}

/** ||v||_2 of each example, shaped [batch, 1, ...] to broadcast against v. */
export function perExampleNorm(v: tf.Tensor): tf.Tensor {
  const axes = v.shape.slice(1).map((_, i) => i + 1);
  return tf.sqrt(tf.sum(tf.square(v), axes, true));
}

/** Projection of `adv` onto the eps-ball around `x`, then onto [0, 1] when bounded. */
export function project(x: tf.Tensor, adv: tf.Tensor, o: Pick<PgdOptions, 'norm' | 'eps' | 'bounded'>): tf.Tensor {
  return tf.tidy(() => {
    const delta = tf.sub(adv, x);
    const inBall =
      o.norm === 'linf'
        ? tf.clipByValue(delta, -o.eps, o.eps)
        : tf.mul(delta, tf.minimum(1, tf.div(o.eps, tf.maximum(perExampleNorm(delta), TINY))));
    const out = tf.add(x, inBall);
    return o.bounded ? tf.clipByValue(out, 0, 1) : out;
  });
}

/** The random start, drawn on the CPU from the seeded Rng so every backend starts alike. */
export function randomStart(norm: Norm, eps: number, batch: number, dim: number, rng: Rng): Float32Array {
  const out = new Float32Array(batch * dim);
  if (norm === 'linf') return rng.fillUniform(out, -eps, eps);
  for (let b = 0; b < batch; b++) {
    const v = out.subarray(b * dim, (b + 1) * dim);
    rng.fillNormal(v);
    let norm2 = 0;
    for (let i = 0; i < dim; i++) norm2 += v[i] * v[i];
    const scale = (eps * Math.pow(rng.uniform(), 1 / dim)) / Math.max(Math.sqrt(norm2), TINY);
    for (let i = 0; i < dim; i++) v[i] *= scale;
  }
  return out;
}
