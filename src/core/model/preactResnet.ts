// PreAct ResNet (He et al. 2016, "Identity Mappings in Deep Residual Networks"), the layout of the
// reference code of Zhang et al. (PreActResNet / PreActBlock): conv3x3 stem, four stages of
// PreActBlocks with widths w, 2w, 4w, 8w and strides 1, 2, 2, 2, then BN-ReLU, global average pool,
// linear. A block is BN-ReLU-conv3x3(stride)-BN-ReLU-conv3x3, plus a 1x1 conv shortcut taken from
// the pre-activated input when the stride or width changes, else the identity of the raw input.
// Convs have no bias. Names follow the PyTorch module tree: "layer2.0.shortcut.0.weight".
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { FunctionalModel, type ForwardContext, type ModelData } from './functionalModel';
import { applyBatchNorm, applyConv, applyDense } from './layers';
import { buildWith, outSize, type BatchNormLayer, type ConvLayer } from './modelBuilder';

interface PreActBlock {
  bn1: BatchNormLayer;
  conv1: ConvLayer;
  bn2: BatchNormLayer;
  conv2: ConvLayer;
  shortcut?: ConvLayer;
}

function applyBlock(x: tf.Tensor4D, block: PreActBlock, ctx: ForwardContext): tf.Tensor4D {
  // A scope per block: what the backward pass needs the tape keeps, the rest goes now (layers.ts).
  return tf.tidy(() => {
    const pre = tf.relu(applyBatchNorm(x, block.bn1, ctx));
    const shortcut = block.shortcut ? applyConv(pre, block.shortcut) : x;
    const h = applyConv(pre, block.conv1);
    const out = applyConv(tf.relu(applyBatchNorm(h, block.bn2, ctx)), block.conv2);
    return tf.add(out, shortcut);
  });
}

/** `blocksPerStage` 2 gives PreAct ResNet-18, 1 gives the 10-layer variant. */
export function createPreactResnet(
  name: string,
  data: ModelData,
  width: number,
  blocksPerStage: number,
  rng: Rng,
): FunctionalModel {
  if (data.shape.length !== 3)
    throw new Error(`${name} takes images [h, w, c], got input shape [${data.shape.join(', ')}]`);
  let [h, w, c] = data.shape;
  return buildWith(rng, (b) => {
    const stem = b.conv('conv1', c, width, 3, 1, 1, false, h * w);
    c = width;
    const blocks: PreActBlock[] = [];
    [1, 2, 2, 2].forEach((stageStride, s) => {
      const planes = width * 2 ** s;
      for (let i = 0; i < blocksPerStage; i++) {
        const stride = i === 0 ? stageStride : 1;
        const prefix = `layer${s + 1}.${i}`;
        const ho = outSize(h, 3, stride, 1);
        const wo = outSize(w, 3, stride, 1);
        const block: PreActBlock = {
          bn1: b.batchNorm(`${prefix}.bn1`, c),
          conv1: b.conv(`${prefix}.conv1`, c, planes, 3, stride, 1, false, ho * wo),
          bn2: b.batchNorm(`${prefix}.bn2`, planes),
          conv2: b.conv(`${prefix}.conv2`, planes, planes, 3, 1, 1, false, ho * wo),
        };
        if (stride !== 1 || c !== planes)
          block.shortcut = b.conv(`${prefix}.shortcut.0`, c, planes, 1, stride, 0, false, ho * wo);
        blocks.push(block);
        [h, w, c] = [ho, wo, planes];
      }
    });
    const bn = b.batchNorm('bn', c);
    const linear = b.dense('linear', c, data.numClasses);
    return new FunctionalModel(
      name,
      data,
      b,
      (x, ctx) => {
        let y = applyConv(x as tf.Tensor4D, stem);
        for (const block of blocks) y = applyBlock(y, block, ctx);
        const features = tf.mean(tf.relu(applyBatchNorm(y, bn, ctx)), [1, 2]) as tf.Tensor2D;
        return applyDense(features, linear);
      },
      stem,
    );
  });
}
