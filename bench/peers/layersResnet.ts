// The lab's PreAct ResNet-10 (src/core/model/preactResnet.ts) as a stock tf.layers functional model,
// the way a tfjs user writes it: conv3x3 stem, four stages of one PreAct block (widths w, 2w, 4w,
// 8w, strides 1, 2, 2, 2), BN-ReLU, global average pool, dense. Convs have no bias; BatchNorm has
// PyTorch's eps 1e-5 and momentum 0.1 (Keras momentum 0.9). Keras 'same' padding pads a stride-2
// 3x3 conv on one side only (the lab pads both, as PyTorch does): same shapes and work, other numbers.
import * as tf from '@tensorflow/tfjs';

type Sym = tf.SymbolicTensor;

export function preactResnet10Layers(width: number, seed: number): tf.LayersModel {
  let layerSeed = seed;
  const conv = (x: Sym, filters: number, kernelSize: number, strides: number) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: layerSeed++ }),
      })
      .apply(x) as Sym;
  const bnRelu = (x: Sym) =>
    tf.layers.reLU().apply(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x)) as Sym;

  const input = tf.input({ shape: [32, 32, 3] });
  let y = conv(input, width, 3, 1);
  let channels = width;
  [1, 2, 2, 2].forEach((stride, stage) => {
    const planes = width * 2 ** stage;
    const pre = bnRelu(y);
    // The 1x1 shortcut takes the pre-activated input when the shape changes, else the raw input.
    const shortcut = stride !== 1 || channels !== planes ? conv(pre, planes, 1, stride) : y;
    const h = conv(bnRelu(conv(pre, planes, 3, stride)), planes, 3, 1);
    y = tf.layers.add().apply([h, shortcut]) as Sym;
    channels = planes;
  });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(bnRelu(y)) as Sym;
  const logits = tf.layers
    .dense({ units: 10, kernelInitializer: tf.initializers.heNormal({ seed: layerSeed }) })
    .apply(pooled) as Sym;
  return tf.model({ inputs: input, outputs: logits });
}

/** Trainable values (the lab's `params`; BatchNorm's moving statistics are its buffers). */
export const trainableParamCount = (m: tf.LayersModel) => m.trainableWeights.reduce((s, w) => s + w.read().size, 0);
