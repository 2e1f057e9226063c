// The reference small CNN: `depth` blocks of conv3x3 ('same', with bias) - ReLU - 2x2 max-pool with
// widths width, 2 width, 4 width, ..., then FC (4 width units) - ReLU - FC numClasses. At width 32,
// depth 2 on 28x28x1 this is conv(32)-pool-conv(64)-pool-FC 128-FC 10: 421,642 parameters.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { FunctionalModel, type ModelData } from './functionalModel';
import { applyConv, applyDense, flatten } from './layers';
import { buildWith, outSize, type ConvLayer } from './modelBuilder';

export function createCnn(data: ModelData, width: number, depth: number, rng: Rng): FunctionalModel {
  if (data.shape.length !== 3)
    throw new Error(`cnn takes images [h, w, c], got input shape [${data.shape.join(', ')}]`);
  let [h, w, c] = data.shape;
  return buildWith(rng, (b) => {
    const convs: ConvLayer[] = [];
    for (let i = 0; i < depth; i++) {
      const cOut = width * 2 ** i;
      convs.push(b.conv(`conv${i + 1}`, c, cOut, 3, 1, 1, true, h * w));
      c = cOut;
      h = outSize(h, 2, 2, 0);
      w = outSize(w, 2, 2, 0);
      if (h < 1 || w < 1)
        throw new Error(
          `cnn of depth ${depth} pools a ${data.shape[0]}x${data.shape[1]} input below 1x1: use depth <= ${i}`,
        );
    }
    const hidden = 4 * width;
    const fc1 = b.dense('fc1', h * w * c, hidden);
    const fc2 = b.dense('fc2', hidden, data.numClasses);
    return new FunctionalModel(
      'cnn',
      data,
      b,
      (x) => {
        let y = x as tf.Tensor4D;
        // A scope per block: what the backward pass needs the tape keeps, the rest goes now (layers.ts).
        for (const conv of convs) y = tf.tidy(() => tf.maxPool(tf.relu(applyConv(y, conv)), 2, 2, 'valid'));
        return applyDense(tf.relu(applyDense(flatten(y), fc1)), fc2);
      },
      convs[0],
    );
  });
}
