// The robust / non-robust feature set, the spec's dataset 'toy' (see FeatureSetParams in spec.ts): label y in {-1, +1}
// (classes 0 / 1, exactly balanced), features [robust dims..., non-robust dims...]:
//   robust_j     = y * robustShift    + N(0, robustNoise^2)     far from 0, noisy: weak but eps-stable
//   non-robust_j = y * nonRobustShift + N(0, nonRobustNoise^2)  near 0, clean: strong together, erased by eps = nonRobustShift
// Inputs are unbounded and used as they are (mean 0, std 1 normalisation).
import type { Rng } from '../rng';
import type { FeatureSetParams } from '../spec';
import { CATALOG } from './catalog';
import type { Dataset } from './dataset';

export function featureSet(params: FeatureSetParams, n: number, rng: Rng): Dataset {
  const { robustDims, nonRobustDims } = params;
  const d = robustDims + nonRobustDims;
  if (d === 0) throw new Error('the feature set needs at least one feature');
  const x = new Float32Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = i % 2;
  rng.shuffle(y);
  for (let i = 0; i < n; i++) {
    const sign = y[i] === 1 ? 1 : -1;
    for (let j = 0; j < d; j++) {
      const robust = j < robustDims;
      x[i * d + j] =
        sign * (robust ? params.robustShift : params.nonRobustShift) +
        rng.normal() * (robust ? params.robustNoise : params.nonRobustNoise);
    }
  }
  const meta = CATALOG.toy;
  return {
    name: 'toy',
    shape: [d],
    numClasses: 2,
    classNames: [...meta.classNames],
    x,
    y,
    n,
    bounded: false,
    mean: new Array<number>(d).fill(0),
    std: new Array<number>(d).fill(1),
  };
}
