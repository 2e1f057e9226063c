// The strong final evaluation: AutoAttack's cascade of APGD attacks (Croce & Hein, ICML 2020) on the
// evaluation subset. Only the examples still standing are attacked by the next attack: first those
// classified correctly when clean, then APGD-CE (`restarts` runs), then targeted APGD-DLR against the
// classes of the 2nd .. (targets+1)-th highest clean logit (`restarts` runs each; skipped under 4
// classes, which the DLR loss needs). AutoAttack's standard version uses 100 steps, 1 restart of
// APGD-CE and 9 targets; spec.eval.apgd sets them. Standing examples are packed into fixed-size
// batches (the last one padded with zeros and not counted), so the cost falls as they fall.
import * as tf from '@tensorflow/tfjs';
import { copyRows, type Dataset } from '../data/dataset';
import type { Model } from '../model/model';
import type { Rng } from '../rng';
import type { Norm } from '../spec';
import { apgdRun } from './apgd';

export interface AutoAttackOptions {
  norm: Norm;
  eps: number;
  steps: number;
  restarts: number;
  targets: number;
  batchSize: number;
  /** Random starts, one stream for the whole cascade. */
  rng: Rng;
  /** After each APGD iteration (the caller's liveness). */
  onStep?(): void;
}

/** Rows of `set` packed into a padded batch: inputs (zeros past the end), labels, and which rows are real. */
function gather(
  set: Dataset,
  rows: ArrayLike<number>,
  bs: number,
): { x: Float32Array; labels: Int32Array; real: Uint8Array } {
  const dim = set.x.length / set.n;
  const x = new Float32Array(bs * dim);
  const labels = new Int32Array(bs);
  const real = new Uint8Array(bs);
  for (let i = 0; i < rows.length; i++) {
    copyRows(set, rows[i], 1, x, i);
    labels[i] = set.y[rows[i]];
    real[i] = 1;
  }
  return { x, labels, real };
}

/** Calls `each` on the rows in padded batches of `bs`; each returns the rows (of its batch) that stay. */
async function filterRows(
  rows: number[],
  bs: number,
  each: (batchRows: number[]) => Promise<number[]>,
): Promise<number[]> {
  const out: number[] = [];
  for (let start = 0; start < rows.length; start += bs) out.push(...(await each(rows.slice(start, start + bs))));
  return out;
}

/** The rows of `set` that the model classifies correctly, clean, in 'eval' mode. */
export async function cleanCorrectRows(model: Model, set: Dataset, batchSize: number): Promise<number[]> {
  const bs = Math.max(1, Math.min(batchSize, set.n));
  return filterRows(
    Array.from({ length: set.n }, (_, i) => i),
    bs,
    async (rows) => {
      const b = gather(set, rows, bs);
      const pred = tf.tidy(() => tf.argMax(model.forward(tf.tensor(b.x, [bs, ...set.shape], 'float32'), 'eval'), -1));
      const p = await pred.data().finally(() => pred.dispose());
      return rows.filter((_, i) => p[i] === b.labels[i]);
    },
  );
}

/** Robust accuracy of `model` on `set` under the APGD cascade. */
export async function autoAttackAccuracy(model: Model, set: Dataset, o: AutoAttackOptions): Promise<number> {
  if (!Number.isInteger(o.restarts) || o.restarts < 1 || !Number.isInteger(o.targets) || o.targets < 0) {
    throw new Error(
      `APGD needs integer restarts >= 1 and targets >= 0, got restarts ${o.restarts}, targets ${o.targets}`,
    );
  }
  if (set.n === 0) throw new Error('cannot evaluate on an empty set');
  const bs = Math.max(1, Math.min(o.batchSize, set.n));
  let standing = await cleanCorrectRows(model, set, bs);
  if (o.eps === 0) return standing.length / set.n;
  const attack = (target: number | null) =>
    filterRows(standing, bs, async (rows) => {
      const b = gather(set, rows, bs);
      const x = tf.tensor(b.x, [bs, ...set.shape], 'float32');
      try {
        let targets: Int32Array | null = null;
        if (target !== null) {
          // The class of the (target+1)-th highest clean logit of each row.
          const top = tf.tidy(() => tf.topk(model.forward(x, 'eval'), target + 1).indices);
          const idx = await top.data().finally(() => top.dispose());
          targets = Int32Array.from({ length: bs }, (_, i) => idx[i * (target + 1) + target]);
        }
        const broken = await apgdRun(model, x, b.labels, targets, b.real, {
          norm: o.norm,
          eps: o.eps,
          steps: o.steps,
          loss: target === null ? 'ce' : 'dlr-targeted',
          bounded: set.bounded,
          mode: 'eval',
          rng: o.rng,
          onStep: o.onStep,
        });
        return rows.filter((_, i) => broken[i] === 0);
      } finally {
        x.dispose();
      }
    });
  for (let r = 0; r < o.restarts && standing.length > 0; r++) standing = await attack(null);
  const targets = set.numClasses >= 4 ? Math.min(o.targets, set.numClasses - 1) : 0;
  for (let t = 1; t <= targets; t++) {
    for (let r = 0; r < o.restarts && standing.length > 0; r++) standing = await attack(t);
  }
  return standing.length / set.n;
}
