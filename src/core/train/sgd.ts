// SGD with momentum and weight decay, PyTorch semantics (torch.optim.SGD, dampening 0, no Nesterov):
//   d = g + weightDecay * w        (decay on every parameter, BatchNorm and biases included)
//   buf = momentum * buf + d       (buf starts at 0, so the first step gives buf = d as PyTorch does)
//   w = w - lr * buf
// The momentum buffers are tf.Variables, one per parameter, kept on the device.
import * as tf from '@tensorflow/tfjs';
import type { Param } from '../model/model';

export class Sgd {
  private readonly buffers: tf.Variable[];

  constructor(
    private readonly params: Param[],
    readonly momentum: number,
    readonly weightDecay: number,
  ) {
    // tidy disposes the zeros tensors; the variables keep their data.
    this.buffers = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p.variable), false)));
  }

  /** One update with `grads` (model.params order) and learning rate `lr`; the grads stay the caller's. */
  apply(grads: tf.Tensor[], lr: number): void {
    if (grads.length !== this.params.length)
      throw new Error(`SGD got ${grads.length} gradients for ${this.params.length} parameters`);
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const w = p.variable;
        const d = this.weightDecay === 0 ? grads[i] : tf.add(grads[i], tf.mul(w, this.weightDecay));
        const buf = tf.add(tf.mul(this.buffers[i], this.momentum), d);
        this.buffers[i].assign(buf);
        w.assign(tf.sub(w, tf.mul(buf, lr)));
      });
    });
  }

  dispose(): void {
    tf.dispose(this.buffers);
  }
}
