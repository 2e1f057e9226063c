// The one Model implementation: named state from a ModelBuilder plus a forward body. It checks
// the input shape, normalises the input, and runs the body in a tidy.
import * as tf from '@tensorflow/tfjs';
import { createInputNormalizer, type InputNormalizer } from './inputNormalizer';
import { installLeanGradients } from './leanGradients';
import type { BatchStatsSink, Buffer, ForwardMode, InputConv, Model, Param } from './model';
import type { ConvLayer, ModelBuilder } from './modelBuilder';

/** What each layer sees of one forward pass. */
export interface ForwardContext {
  mode: ForwardMode;
  sink?: BatchStatsSink;
}

export interface ModelData {
  shape: number[];
  numClasses: number;
  mean: number[];
  std: number[];
}

/** Logits from the normalised input. */
export type ForwardBody = (x: tf.Tensor, ctx: ForwardContext) => tf.Tensor2D;

export class FunctionalModel implements Model {
  readonly inputShape: number[];
  readonly numClasses: number;
  readonly params: Param[];
  readonly buffers: Buffer[];
  readonly flopsPerExample: number;
  readonly inputConv?: InputConv;
  private readonly normalizer: InputNormalizer;
  private disposed = false;

  constructor(
    readonly name: string,
    data: ModelData,
    builder: ModelBuilder,
    private readonly body: ForwardBody,
    /** The conv applied first to the normalised input (image models), for the duality view. */
    stem?: ConvLayer,
  ) {
    // Every model's gradients free the tape as they go (leanGradients.ts): a worker's wasm heap keeps its largest step.
    installLeanGradients();
    this.inputShape = [...data.shape];
    this.numClasses = data.numClasses;
    this.params = builder.params;
    this.buffers = builder.buffers;
    this.flopsPerExample = builder.flops;
    this.normalizer = createInputNormalizer(data.shape, data.mean, data.std);
    if (stem) {
      const channels = data.shape[data.shape.length - 1];
      const perChannel = (v: number[]) => (v.length === 1 ? new Array<number>(channels).fill(v[0]) : [...v]);
      this.inputConv = {
        weight: stem.weight,
        stride: stem.stride,
        pad: stem.pad,
        mean: perChannel(data.mean),
        std: perChannel(data.std),
      };
    }
  }

  forward(x: tf.Tensor, mode: ForwardMode, sink?: BatchStatsSink): tf.Tensor2D {
    if (this.disposed) throw new Error(`model ${this.name} is disposed`);
    const shape = x.shape.slice(1);
    if (x.rank !== this.inputShape.length + 1 || shape.some((d, i) => d !== this.inputShape[i])) {
      throw new Error(`model ${this.name} takes [batch, ${this.inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
    }
    if (mode === 'train' && !sink && this.buffers.length > 0) {
      throw new Error(`model ${this.name}: 'train' mode needs a BatchStatsSink for its BatchNorm statistics`);
    }
    return tf.tidy(() => this.body(this.normalizer.apply(x), { mode, sink }));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.params) p.variable.dispose();
    for (const b of this.buffers) b.variable.dispose();
    this.normalizer.dispose();
  }
}
