// Multi-layer perceptron: flatten, `depth` hidden layers of `width` units with ReLU, linear out.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { FunctionalModel, type ModelData } from './functionalModel';
import { applyDense, flatten } from './layers';
import { buildWith, type DenseLayer } from './modelBuilder';

export function createMlp(data: ModelData, width: number, depth: number, rng: Rng): FunctionalModel {
  return buildWith(rng, (b) => {
    let units = data.shape.reduce((a, c) => a * c, 1);
    const hidden: DenseLayer[] = [];
    for (let i = 1; i <= depth; i++) {
      hidden.push(b.dense(`fc${i}`, units, width));
      units = width;
    }
    const out = b.dense(`fc${depth + 1}`, units, data.numClasses);
    return new FunctionalModel('mlp', data, b, (x) => {
      let h = flatten(x);
      for (const layer of hidden) h = tf.relu(applyDense(h, layer));
      return applyDense(h, out);
    });
  });
}
