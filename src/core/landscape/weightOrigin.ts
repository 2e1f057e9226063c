// Saving weights, moving them and putting them back: SAM's ascent to w + e_w, and every landscape's
// points w + sum_k c_k d_k. The starting weights are kept as clones (which share their data with
// the variables until those are assigned), each point is computed from them afresh (no accumulated
// rounding), one assign per parameter, and restore() assigns the saved tensors back, so the weights
// end bit-exactly as they began (never by subtracting).
import * as tf from '@tensorflow/tfjs';

export class WeightOrigin {
  private readonly saved: tf.Tensor[];

  constructor(private readonly vars: tf.Variable[]) {
    this.saved = vars.map((v) => tf.clone(v));
  }

  /** The starting weights (owned here). */
  get weights(): readonly tf.Tensor[] {
    return this.saved;
  }

  /** w = w0 + delta, one tensor per variable (SAM's w + e_w). */
  shift(delta: tf.Tensor[]): void {
    tf.tidy(() => this.vars.forEach((v, i) => v.assign(tf.add(this.saved[i], delta[i]))));
  }

  /** w = w0 + sum_k coefs[k] * dirs[k]; a zero coefficient adds nothing, so all-zero gives w0 exactly. */
  moveTo(dirs: tf.Tensor[][], coefs: number[]): void {
    tf.tidy(() =>
      this.vars.forEach((v, i) => {
        let w = this.saved[i];
        dirs.forEach((d, k) => {
          if (coefs[k] !== 0) w = tf.add(w, tf.mul(d[i], coefs[k]));
        });
        v.assign(w);
      }),
    );
  }

  restore(): void {
    this.vars.forEach((v, i) => v.assign(this.saved[i]));
  }

  /** Restores the weights, then frees the saved copies. */
  dispose(): void {
    this.restore();
    tf.dispose(this.saved);
  }
}
