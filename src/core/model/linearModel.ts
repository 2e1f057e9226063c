// Multinomial logistic regression: flatten, one linear layer. The baseline of the toy
// robust/non-robust feature experiments.
import type { Rng } from '../rng';
import { FunctionalModel, type ModelData } from './functionalModel';
import { applyDense, flatten } from './layers';
import { buildWith } from './modelBuilder';

export function createLinear(data: ModelData, rng: Rng): FunctionalModel {
  return buildWith(rng, (b) => {
    const features = data.shape.reduce((a, c) => a * c, 1);
    const linear = b.dense('linear', features, data.numClasses);
    return new FunctionalModel('linear', data, b, (x) => applyDense(flatten(x), linear));
  });
}
