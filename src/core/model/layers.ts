// Applying the layers a ModelBuilder created. Each function is pure tfjs ops on its inputs.
//
// Models scope their blocks with tf.tidy. Under a gradient every op's output would otherwise live
// until the whole forward pass ends, though the backward pass reads only what the tape saved (its
// own references): an op's output dies with its scope, and a step's peak memory with it.
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from './batchNorm';
import { conv2d } from './conv';
import type { ForwardContext } from './functionalModel';
import type { BatchNormLayer, ConvLayer, DenseLayer } from './modelBuilder';

export function applyDense(x: tf.Tensor2D, layer: DenseLayer): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.weight as tf.Tensor2D), layer.bias);
}

export function applyConv(x: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  const y = conv2d(x, layer.weight as tf.Tensor4D, layer.stride, layer.pad);
  return layer.bias ? tf.add(y, layer.bias) : y;
}

export function applyBatchNorm<T extends tf.Tensor>(x: T, layer: BatchNormLayer, ctx: ForwardContext): T {
  return batchNorm(x, layer, ctx.mode, ctx.sink);
}

/** [batch, ...] -> [batch, features]. */
export function flatten(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0], -1]);
}
