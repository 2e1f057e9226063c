// Evaluation: clean accuracy and PGD robust accuracy on a fixed test subset, BatchNorm 'eval'.
//
// The subset is a seeded stratified sample (Rng(spec.seed).derive('eval-subset')) of the test set,
// so every run and every evaluation of an experiment scores the same examples. The evaluation
// attack is PGD-k with k = spec.eval.pgdSteps, a random start and the step sizes of
// spec.eval.pgdSchedule (evalStepSizes.ts; by default decayed from about 2 eps to eps/16: at a
// fixed step, PGD-10 overstated robustness by 4-10 points against APGD on the default preset, with
// this schedule by 1-5). An example counts as broken when any iterate is misclassified (attack.ts
// keepFirstMiss), as APGD counts. Its starts come from a fresh Rng(spec.seed).derive('eval-attack')
// at each evaluation, so evaluations differ only through the weights. Batches have a fixed size:
// the last one is padded with zeros and the padded rows are not counted (in 'eval' mode the rows
// are independent, so padding changes nothing else).
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { stratifiedSubset } from '../data/subset';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import { attackLabel } from '../budgetLabel';
import { apgdKey, attackKey, type AttackSpec, type EvalSpec, type PgdSchedule } from '../spec';
import { pgd } from './attack';
import { attackProbe, type AttackProbe } from './attackProbe';
import { autoAttackAccuracy } from './autoAttack';
import { evalStepSizes } from './evalStepSizes';
import { countCorrect, disposeBatch, paddedBatch, perExampleCrossEntropy } from './objective';

export interface EvalOptions {
  attacks: AttackSpec[];
  pgdSteps: number;
  /** The PGD step sizes (spec eval.pgdSchedule, evalStepSizes.ts). */
  pgdSchedule: PgdSchedule;
  batchSize: number;
  /** The experiment seed: the attack starts derive from it. */
  seed: number;
  /**
   * After each batch of work, the final extras' included (each APGD iteration, each probe batch),
   * with what it is doing (e.g. "final evaluation: APGD L∞ 8/255"): a long evaluation tells its
   * caller it is alive. The page takes a worker silent for 90 s for dead, and the final extras
   * alone ran longer than that on a loaded 2-core machine.
   */
  onBatch?(activity: string): void;
  /** The final evaluation's extras: the APGD cascade per attack (when enabled) and the attack-check probe. */
  final?: { apgd: EvalSpec['apgd'] };
}

export interface EvalScores {
  cleanAcc: number;
  cleanLoss: number;
  /** Robust accuracy per attack, keyed by attackKey(). */
  robust: Record<string, number>;
  probe?: AttackProbe;
}

/** The fixed evaluation subset of `size` examples of `test`. */
export function evalSubset(test: Dataset, size: number, seed: number): Dataset {
  if (size >= test.n) return test;
  return stratifiedSubset(test, size, new Rng(seed).derive('eval-subset'));
}

export async function evaluateModel(model: Model, set: Dataset, o: EvalOptions): Promise<EvalScores> {
  if (set.n === 0) throw new Error('cannot evaluate on an empty set');
  const bs = Math.max(1, Math.min(o.batchSize, set.n));
  const startRng = new Rng(o.seed).derive('eval-attack');
  const keys = o.attacks.map(attackKey);
  const stage = o.final ? 'final evaluation' : 'evaluation';
  let clean = 0;
  let lossSum = 0;
  const robust = new Array<number>(o.attacks.length).fill(0);
  for (let start = 0; start < set.n; start += bs) {
    const { batch, real } = paddedBatch(set, start, bs, model.numClasses);
    // Only the first `real` rows count (mask 1), the zero padding does not (mask 0).
    const mask = tf.tensor1d(
      Array.from({ length: bs }, (_, i) => (i < real ? 1 : 0)),
      'float32',
    );
    const scores: tf.Tensor[] = [];
    try {
      scores.push(
        ...tf.tidy(() => {
          const logits = model.forward(batch.x, 'eval');
          return [
            countCorrect(logits, batch.labels, mask),
            tf.sum(tf.mul(perExampleCrossEntropy(logits, batch.oneHot), mask)),
          ];
        }),
      );
      for (const a of o.attacks) {
        const xAdv = pgd(model, batch.x, batch.oneHot, {
          norm: a.norm,
          eps: a.eps,
          stepSize: evalStepSizes(a.eps, o.pgdSteps, o.pgdSchedule),
          steps: o.pgdSteps,
          bounded: set.bounded,
          mode: 'eval',
          rng: startRng,
          keepFirstMiss: true,
        });
        scores.push(tf.tidy(() => countCorrect(model.forward(xAdv, 'eval'), batch.labels, mask)));
        xAdv.dispose();
      }
      // One read-back per batch for all the scores.
      const stacked = tf.stack(scores);
      const values = await stacked.data().finally(() => stacked.dispose());
      clean += values[0];
      lossSum += values[1];
      for (let k = 0; k < o.attacks.length; k++) robust[k] += values[2 + k];
      o.onBatch?.(`${stage}: clean and PGD-${o.pgdSteps}`);
    } finally {
      tf.dispose(scores);
      disposeBatch(batch);
      mask.dispose();
    }
  }
  const scores: EvalScores = {
    cleanAcc: clean / set.n,
    cleanLoss: lossSum / set.n,
    robust: Object.fromEntries(keys.map((k, i) => [k, robust[i] / set.n])),
  };
  if (o.final) {
    const { apgd } = o.final;
    // Streams of their own, so PGD's numbers stay what they were without the extras.
    if (apgd.enabled) {
      for (const a of o.attacks) {
        const rng = new Rng(o.seed).derive(`eval-apgd:${attackKey(a)}`);
        const activity = `${stage}: APGD ${attackLabel(a)}`;
        scores.robust[apgdKey(a)] = await autoAttackAccuracy(model, set, {
          norm: a.norm,
          eps: a.eps,
          steps: apgd.steps,
          restarts: apgd.restarts,
          targets: apgd.targets,
          batchSize: bs,
          rng,
          onStep: () => o.onBatch?.(activity),
        });
      }
    }
    scores.probe = await attackProbe(model, set, {
      pgdSteps: o.pgdSteps,
      pgdSchedule: o.pgdSchedule,
      batchSize: bs,
      rng: new Rng(o.seed).derive('eval-probe'),
      onBatch: () => o.onBatch?.(`${stage}: attack checks`),
    });
  }
  return scores;
}
