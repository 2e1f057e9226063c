// The gradient half of an adversarial-training step (Madry et al., 2018): PGD finds x_adv with
// BatchNorm 'train-frozen' (the attack's passes report no statistics, as in the paper's code), then
// ONE 'train' forward/backward on x_adv gives the loss, the accuracy, the gradient and the step's
// only BatchNorm running-stat report.
import * as tf from '@tensorflow/tfjs';
import type { BatchStatsSink, Model } from '../model/model';
import type { Rng } from '../rng';
import type { AtRun } from '../spec';
import { pgd } from './attack';
import { lossAndGrads, type DeviceBatch, type LossAndGrads } from './objective';

export function adversarialGradients(
  model: Model,
  batch: DeviceBatch,
  run: Pick<AtRun, 'norm' | 'eps' | 'stepSize' | 'steps'>,
  bounded: boolean,
  startRng: Rng,
  sink?: BatchStatsSink,
): LossAndGrads {
  const xAdv = pgd(model, batch.x, batch.oneHot, { ...run, bounded, mode: 'train-frozen', rng: startRng });
  try {
    return lossAndGrads(model, xAdv, batch, 'train', sink);
  } finally {
    tf.dispose(xAdv);
  }
}
