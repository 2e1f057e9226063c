// The gradient half of each training method: what one optimiser step of a run computes before
// the SGD update. Every method makes exactly one BatchNorm 'train' pass, reported to `sink`.
import type { BatchStatsSink, Model } from '../model/model';
import type { Rng } from '../rng';
import type { RunSpec } from '../spec';
import { adversarialGradients } from './adversarial';
import { lossAndGrads, type DeviceBatch, type LossAndGrads } from './objective';
import { samGradients } from './sam';

export type MethodGradients = (batch: DeviceBatch, sink?: BatchStatsSink) => LossAndGrads;

/**
 * `startRng` seeds adversarial training's PGD starts (one stream for the whole run, so every AT
 * run of an experiment draws the same starts).
 */
export function methodGradients(run: RunSpec, model: Model, bounded: boolean, startRng: Rng): MethodGradients {
  switch (run.method) {
    case 'sgd':
      return (batch, sink) => lossAndGrads(model, batch.x, batch, 'train', sink);
    case 'sam':
      return (batch, sink) => samGradients(model, batch, run.rho, sink);
    case 'at':
      return (batch, sink) => adversarialGradients(model, batch, run, bounded, startRng, sink);
    default:
      throw new Error(`unknown method ${JSON.stringify((run as { method: unknown }).method)}`);
  }
}
