// The measurements behind the attack checks (Carlini et al., "On Evaluating Adversarial Robustness",
// 2019, Sec. 5): robust accuracy at a budget so large that any classifier must fail (L-inf 64/255 on
// pixel data: an attack that leaves examples standing there is broken), and the share of examples
// whose input gradient of the attack's loss is exactly zero at the clean input (the sign of 0 is 0:
// PGD never moves them; gradient masking, dead units).
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import type { Model } from '../model/model';
import type { Rng } from '../rng';
import type { PgdSchedule } from '../spec';
import { pgd } from './attack';
import { attackCrossEntropy } from './attackLoss';
import { evalStepSizes } from './evalStepSizes';
import { disposeBatch, paddedBatch } from './objective';

/** The probe's numbers, stored on the final evaluation (README "Results format"). */
export interface AttackProbe {
  /** The large budget (L-inf, pixel units); absent on unbounded inputs, where no budget is "large". */
  largeEps?: number;
  /** PGD robust accuracy at largeEps. */
  largeEpsAcc?: number;
  /** Share of examples with an all-zero input gradient at the clean input. */
  zeroGradShare: number;
}

/** L-inf 64/255: the sanity budget; a quarter of the pixel range. */
export const LARGE_EPS = 64 / 255;

export interface ProbeOptions {
  pgdSteps: number;
  pgdSchedule: PgdSchedule;
  batchSize: number;
  rng: Rng;
  /** After each batch (the caller's liveness). */
  onBatch?(): void;
}

export async function attackProbe(model: Model, set: Dataset, o: ProbeOptions): Promise<AttackProbe> {
  if (set.n === 0) throw new Error('cannot probe an empty set');
  const bs = Math.max(1, Math.min(o.batchSize, set.n));
  let zero = 0;
  let standing = 0;
  for (let start = 0; start < set.n; start += bs) {
    const { batch, real } = paddedBatch(set, start, bs, model.numClasses);
    try {
      // The gradient the attacks follow (attackLoss.ts).
      const grad = tf.grad((xa: tf.Tensor) => tf.sum(attackCrossEntropy(model.forward(xa, 'eval'), batch.oneHot)))(
        batch.x,
      );
      const axes = set.shape.map((_, i) => i + 1);
      const size = tf.tidy(() => tf.max(tf.abs(grad), axes));
      grad.dispose();
      const sizes = await size.data().finally(() => size.dispose());
      for (let i = 0; i < real; i++) if (sizes[i] === 0) zero++;
      if (set.bounded) {
        const adv = pgd(model, batch.x, batch.oneHot, {
          norm: 'linf',
          eps: LARGE_EPS,
          stepSize: evalStepSizes(LARGE_EPS, o.pgdSteps, o.pgdSchedule),
          steps: o.pgdSteps,
          bounded: true,
          mode: 'eval',
          rng: o.rng,
          keepFirstMiss: true,
        });
        const right = tf.tidy(() =>
          tf.cast(tf.equal(tf.argMax(model.forward(adv, 'eval'), -1), batch.labels), 'float32'),
        );
        adv.dispose();
        const r = await right.data().finally(() => right.dispose());
        for (let i = 0; i < real; i++) standing += r[i];
      }
    } finally {
      disposeBatch(batch);
      o.onBatch?.();
    }
  }
  const out: AttackProbe = { zeroGradShare: zero / set.n };
  if (set.bounded) Object.assign(out, { largeEps: LARGE_EPS, largeEpsAcc: standing / set.n });
  return out;
}
