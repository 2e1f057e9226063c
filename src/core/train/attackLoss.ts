// The loss the attacks ascend: the per-example cross-entropy, with a gradient that does not vanish
// when the softmax saturates.
//
// d CE / d z = softmax(z) - onehot(y). When the label's margin is large, every other class's softmax
// underflows in float32 (below ~1e-38, or flushed to 0 by the wasm kernels), the gradient is exactly
// 0 and PGD's sign(0) = 0 never moves: examples stayed correct at L-inf 64/255 (issue 15). For j != y,
// softmax_j = (1 - p_y) q_j, with q the softmax over the other classes only, so
//   d CE / d z = (1 - p_y) (q - onehot(y)),
// and (1 - p_y) > 0 is a per-example factor that sign(g) (L-inf) and g / ||g|| (L2, APGD) ignore.
// This gradient is q - onehot(y), computed without the underflow: the same attack direction as the
// exact cross-entropy's (PyTorch's), wherever that one is representable.
import * as tf from '@tensorflow/tfjs';

/** Per-example cross-entropy [batch] (the value), whose gradient with respect to the logits is q - onehot(y) per row. */
export const attackCrossEntropy = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [logits, oneHot, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  const hot = tf.cast(oneHot, 'float32');
  save([logits, hot]);
  return {
    value: tf.neg(tf.sum(tf.mul(hot, tf.logSoftmax(logits)), -1)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [z, h] = saved;
      // The label's logit pushed far below the others: q = softmax over the other classes.
      const q = tf.softmax(tf.sub(z, tf.mul(h, 1e30)));
      return [tf.mul(tf.expandDims(dy, -1), tf.sub(q, h)), tf.zerosLike(h)];
    },
  };
}) as (logits: tf.Tensor2D, oneHot: tf.Tensor2D) => tf.Tensor1D;
