// The contract every model implements. Models are functional: parameters live in named
// tf.Variables held by the model, so SAM and the landscapes can perturb and restore them exactly,
// and exports can name them PyTorch-style (e.g. "layer1.0.conv1.weight").
import type * as tf from '@tensorflow/tfjs';

/** What a parameter is, for weight decay and filter-wise landscape normalisation. */
export type ParamKind = 'conv' | 'dense' | 'bias' | 'bn-gamma' | 'bn-beta';

export interface Param {
  /** PyTorch-style name, stable across backends and sessions. */
  name: string;
  kind: ParamKind;
  variable: tf.Variable;
}

/** Non-trainable state (BatchNorm running mean/var), PyTorch-style names ("bn1.running_mean"). */
export interface Buffer {
  name: string;
  variable: tf.Variable;
}

/**
 * BatchNorm mode of one forward pass.
 * - 'train': normalise with batch statistics and report them to the sink (the first pass of a step).
 * - 'train-frozen': normalise with batch statistics, report nothing (SAM's second pass, PGD steps
 *   during training, as the paper's reference code does).
 * - 'eval': normalise with running statistics (evaluation, landscapes, evaluation attacks).
 */
export type ForwardMode = 'train' | 'train-frozen' | 'eval';

/** Receives each BatchNorm layer's batch mean and (biased) variance in 'train' mode; the tensors are kept and owned by the sink. */
export type BatchStatsSink = (bufferPrefix: string, mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;

/**
 * The convolution that first touches the input, with the input normalisation before it, for the
 * SAM/AT duality view (core/duality): with z = (x - mean) / std per channel, the layer computes
 * conv(z, weight) (+ bias). Models whose first layer is not a conv leave it undefined.
 */
export interface InputConv {
  weight: tf.Variable;
  stride: number;
  pad: number;
  /** One value per input channel. */
  mean: number[];
  std: number[];
}

export interface Model {
  readonly name: string;
  /** Input shape of one example, e.g. [32, 32, 3] or [24] for feature vectors. */
  readonly inputShape: number[];
  readonly numClasses: number;
  readonly params: Param[];
  readonly buffers: Buffer[];
  /** FLOPs of one example's forward pass (conv 2 kh kw cIn cOut hOut wOut, dense 2 in out), for benchmarks. */
  readonly flopsPerExample?: number;
  readonly inputConv?: InputConv;
  /** Logits [batch, numClasses] for inputs in the dataset's raw range (normalisation is inside). */
  forward(x: tf.Tensor, mode: ForwardMode, sink?: BatchStatsSink): tf.Tensor2D;
  dispose(): void;
}
