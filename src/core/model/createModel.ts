// Builds the model a spec names for a dataset's input shape, initialised from `rng`.
import type { Rng } from '../rng';
import type { ModelSpec } from '../spec';
import type { ModelData } from './functionalModel';
import { createCnn } from './cnn';
import { createLinear } from './linearModel';
import type { Model } from './model';
import { createMlp } from './mlp';
import { createPreactResnet } from './preactResnet';

/**
 * Throws a clear Error for a model that cannot take the input (a conv model on feature vectors, a
 * CNN pooling its input below 1x1) or bad normalisation constants. Pass a derived stream, e.g.
 * rng.derive('init'): each parameter then draws from rng.derive(its name).
 */
export function createModel(spec: ModelSpec, data: ModelData, rng: Rng): Model {
  if (data.shape.length === 0 || data.shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`input shape must be positive integers, got [${data.shape.join(', ')}]`);
  }
  if (!Number.isInteger(data.numClasses) || data.numClasses < 2)
    throw new Error(`need at least 2 classes, got ${data.numClasses}`);
  if (!Number.isInteger(spec.width) || spec.width < 1 || !Number.isInteger(spec.depth) || spec.depth < 1) {
    throw new Error(`model width and depth must be positive integers, got ${spec.width} and ${spec.depth}`);
  }
  switch (spec.name) {
    case 'linear':
      return createLinear(data, rng);
    case 'mlp':
      return createMlp(data, spec.width, spec.depth, rng);
    case 'cnn':
      return createCnn(data, spec.width, spec.depth, rng);
    case 'preact-resnet18':
      return createPreactResnet(spec.name, data, spec.width, 2, rng);
    case 'preact-resnet10':
      return createPreactResnet(spec.name, data, spec.width, 1, rng);
    default:
      throw new Error(`unknown model ${JSON.stringify((spec as { name: unknown }).name)}`);
  }
}
