// Creates a model's named state: trainable parameters (PyTorch-style names, seeded PyTorch-default
// init) and BatchNorm running buffers, and tallies the forward FLOPs of each layer as it is added.
//
// Each parameter draws from its own stream rng.derive(name), so a parameter's initial value depends
// only on the seed and its name, not on the order layers are built in.
//
// Layouts are tfjs's, not PyTorch's: conv weights [kh, kw, cIn, cOut], dense weights [in, out].
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import type { Buffer, Param, ParamKind } from './model';

export interface ConvLayer {
  weight: tf.Variable;
  bias?: tf.Variable;
  kernel: number;
  stride: number;
  /** Symmetric zero padding on each side (PyTorch's `padding`). */
  pad: number;
}

export interface DenseLayer {
  weight: tf.Variable;
  bias: tf.Variable;
}

export interface BatchNormLayer {
  /** Buffer name prefix, e.g. "layer1.0.bn1"; also the key reported to a BatchStatsSink. */
  prefix: string;
  gamma: tf.Variable;
  beta: tf.Variable;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

/** Output size of a conv or pool along one axis: floor((size + 2 pad - kernel) / stride) + 1. */
export function outSize(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/** A variable holding `init`; the init tensor itself is freed (tf.variable keeps its own handle). */
function fromInit(init: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(init, trainable);
  init.dispose();
  return v;
}

/** Runs `build` on a fresh builder; if it throws (an input the model cannot take), frees what it made. */
export function buildWith<T>(rng: Rng, build: (b: ModelBuilder) => T): T {
  const b = new ModelBuilder(rng);
  try {
    return build(b);
  } catch (e) {
    for (const v of [...b.params, ...b.buffers]) v.variable.dispose();
    throw e;
  }
}

export class ModelBuilder {
  readonly params: Param[] = [];
  readonly buffers: Buffer[] = [];
  /** Multiply-adds counted as 2 FLOPs, per example, of the layers added so far. */
  flops = 0;
  private readonly names = new Set<string>();

  constructor(private readonly rng: Rng) {}

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`duplicate parameter or buffer name "${name}"`);
    this.names.add(name);
  }

  private param(name: string, kind: ParamKind, shape: number[], values: Float32Array): tf.Variable {
    this.claim(name);
    // No tfjs variable name: tfjs names are global, and two models hold the same PyTorch names.
    const variable = fromInit(tf.tensor(values, shape, 'float32'), true);
    this.params.push({ name, kind, variable });
    return variable;
  }

  /** U(-bound, bound) from the parameter's own stream. */
  private uniform(name: string, kind: ParamKind, shape: number[], bound: number): tf.Variable {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    this.rng.derive(name).fillUniform(values, -bound, bound);
    return this.param(name, kind, shape, values);
  }

  private buffer(name: string, shape: number[], fill: number): tf.Variable {
    this.claim(name);
    const variable = fromInit(tf.fill(shape, fill, 'float32'), false);
    this.buffers.push({ name, variable });
    return variable;
  }

  /**
   * PyTorch's default Conv2d init: kaiming_uniform(a = sqrt(5)) = U(-1/sqrt(fanIn), 1/sqrt(fanIn)),
   * bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)); fanIn = cIn * k * k. `outHW` is the output's h * w, for FLOPs.
   */
  conv(
    prefix: string,
    cIn: number,
    cOut: number,
    kernel: number,
    stride: number,
    pad: number,
    bias: boolean,
    outHW: number,
  ): ConvLayer {
    const bound = 1 / Math.sqrt(cIn * kernel * kernel);
    const weight = this.uniform(`${prefix}.weight`, 'conv', [kernel, kernel, cIn, cOut], bound);
    const layer: ConvLayer = { weight, kernel, stride, pad };
    if (bias) layer.bias = this.uniform(`${prefix}.bias`, 'bias', [cOut], bound);
    this.flops += 2 * kernel * kernel * cIn * cOut * outHW;
    return layer;
  }

  /** PyTorch's default Linear init: weight and bias U(-1/sqrt(in), 1/sqrt(in)). */
  dense(prefix: string, inUnits: number, outUnits: number): DenseLayer {
    const bound = 1 / Math.sqrt(inUnits);
    const weight = this.uniform(`${prefix}.weight`, 'dense', [inUnits, outUnits], bound);
    const bias = this.uniform(`${prefix}.bias`, 'bias', [outUnits], bound);
    this.flops += 2 * inUnits * outUnits;
    return { weight, bias };
  }

  /** PyTorch's BatchNorm2d init: gamma 1, beta 0, running mean 0, running var 1. */
  batchNorm(prefix: string, channels: number): BatchNormLayer {
    const gamma = this.param(`${prefix}.weight`, 'bn-gamma', [channels], new Float32Array(channels).fill(1));
    const beta = this.param(`${prefix}.bias`, 'bn-beta', [channels], new Float32Array(channels));
    const runningMean = this.buffer(`${prefix}.running_mean`, [channels], 0);
    const runningVar = this.buffer(`${prefix}.running_var`, [channels], 1);
    return { prefix, gamma, beta, runningMean, runningVar };
  }
}
