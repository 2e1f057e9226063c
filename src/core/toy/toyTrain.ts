// Trains one toy model three ways on the same seeded data, from the same seeded init, with the same
// batch order: plain SGD, SAM (Foret et al. 2021) and L-inf adversarial training (AT), and records
// where each puts its weight, its clean and robust accuracy, and its decision boundary.
import { Rng } from '../rng';
import type { FeatureSetParams } from '../spec';
import { linearToy } from './linearToy';
import { linfAttack } from './linfAttack';
import { mlpToy } from './mlpToy';
import { gatherRows, makeToyData, type ToyData } from './toyData';
import {
  accuracy,
  decisionGrid,
  projectInputs,
  robustAccuracy,
  robustShare,
  type BoundaryGrid,
  type ProjectionAxes,
} from './toyMetrics';
import type { ToyModel, ToyModelKind } from './toyModel';
import { samStepDuality, type SamStepDuality } from './duality';

export const TOY_METHODS = ['sgd', 'sam', 'at'] as const;
export type ToyMethod = (typeof TOY_METHODS)[number];

export interface ToyExperiment {
  seed: number;
  data: FeatureSetParams;
  trainSize: number;
  testSize: number;
  model: ToyModelKind;
  /** Hidden units of the MLP (ignored by the linear model). */
  hidden: number;
  steps: number;
  lr: number;
  /** Mini-batch size; 0 or >= trainSize means full-batch gradient descent. */
  batchSize: number;
  /** Record a history point every this many steps (and always at step 0 and at the end). */
  evalEvery: number;
  /** SAM's weight-perturbation radius: e_w = rho g / ||g||_2. */
  rho: number;
  /** AT's L-inf input radius, also the radius robust accuracy is measured at. */
  eps: number;
  /** PGD steps of the MLP's adversary (training and evaluation); the linear adversary is exact. */
  pgdSteps: number;
  /** Grid points per side of the decision-boundary plot. */
  gridResolution: number;
}

export interface ToyHistoryPoint {
  step: number;
  /** Training loss of the last batch, on the inputs the method trains on (adversarial ones for AT). */
  loss: number;
  robustShare: number;
  cleanAcc: number;
  robustAcc: number;
}

export interface ToyRun {
  method: ToyMethod;
  history: ToyHistoryPoint[];
  params: Float64Array;
  boundary: BoundaryGrid;
}

export interface ToyComparison {
  experiment: ToyExperiment;
  runs: Record<ToyMethod, ToyRun>;
  axes: ProjectionAxes;
  /** Test points on the projection, for the scatter under the boundaries. */
  points: { u: Float64Array; v: Float64Array; y: Float64Array };
  /** SAM's next ascent step at its final weights, read as the input perturbation it amounts to on training example 0. */
  duality: SamStepDuality;
}

export function toyModelFor(exp: Pick<ToyExperiment, 'model' | 'hidden' | 'data'>): ToyModel {
  const d = exp.data.robustDims + exp.data.nonRobustDims;
  return exp.model === 'linear' ? linearToy(d) : mlpToy(d, exp.hidden);
}

/** The projection's ranges: each class mean +- 3 standard deviations of the averaged features. */
function axesFor(p: FeatureSetParams): ProjectionAxes {
  const half = (shift: number, noise: number, dims: number) =>
    Math.max(shift + (3 * noise) / Math.sqrt(Math.max(dims, 1)), 1e-3);
  const u = half(p.robustShift, p.robustNoise, p.robustDims);
  const v = half(p.nonRobustShift, p.nonRobustNoise, p.nonRobustDims);
  return { u: [-u, u], v: [-v, v] };
}

export interface ToySets {
  train: ToyData;
  test: ToyData;
}

export function toySets(exp: ToyExperiment): ToySets {
  const rng = new Rng(exp.seed);
  return {
    train: makeToyData(exp.data, exp.trainSize, rng.derive('toy-train')),
    test: makeToyData(exp.data, exp.testSize, rng.derive('toy-test')),
  };
}

export function trainToy(exp: ToyExperiment, method: ToyMethod, sets: ToySets = toySets(exp)): ToyRun {
  const { train, test } = sets;
  const model = toyModelFor(exp);
  const rng = new Rng(exp.seed);
  const params = model.init(rng.derive('toy-init'));
  const order = rng.derive('toy-batches').permutation(train.n);
  const bs = exp.batchSize <= 0 || exp.batchSize >= train.n ? train.n : exp.batchSize;
  const xb = new Float64Array(bs * train.d);
  const yb = new Float64Array(bs);
  const grad = new Float64Array(model.paramCount);
  const perturbed = new Float64Array(model.paramCount);
  const history: ToyHistoryPoint[] = [];

  const record = (step: number, loss: number) =>
    history.push({
      step,
      loss,
      robustShare: robustShare(model, params, test),
      cleanAcc: accuracy(model, params, test.x, test.y, test.n),
      robustAcc: robustAccuracy(model, params, test, exp.eps, exp.pgdSteps),
    });

  let loss = model.lossAndGrad(params, train.x, train.y, train.n, grad);
  record(0, loss);
  for (let step = 1; step <= exp.steps; step++) {
    gatherRows(train, order, (step - 1) * bs, bs, xb, yb);
    if (method === 'at') {
      // AT: descend on the worst case inside the L-inf ball (inner max, then outer min; Madry et al. 2018).
      const adv = linfAttack(model, params, xb, yb, bs, exp.eps, exp.pgdSteps);
      loss = model.lossAndGrad(params, adv, yb, bs, grad);
    } else {
      loss = model.lossAndGrad(params, xb, yb, bs, grad);
      if (method === 'sam' && exp.rho > 0) {
        // SAM: ascend to w + e_w, e_w = rho g / ||g||_2, take the gradient there, apply it at w.
        let norm = 0;
        for (let i = 0; i < grad.length; i++) norm += grad[i] * grad[i];
        norm = Math.sqrt(norm);
        if (norm > 0) {
          for (let i = 0; i < grad.length; i++) perturbed[i] = params[i] + (exp.rho * grad[i]) / norm;
          model.lossAndGrad(perturbed, xb, yb, bs, grad);
        }
      }
    }
    for (let i = 0; i < params.length; i++) params[i] -= exp.lr * grad[i];
    if (step % exp.evalEvery === 0 || step === exp.steps) record(step, loss);
  }
  return {
    method,
    history,
    params,
    boundary: decisionGrid(model, params, axesFor(exp.data), exp.data.robustDims, exp.gridResolution),
  };
}

/** The three methods on the same data, init and batch order, plus the projection and SAM's duality view. */
export function runToyComparison(exp: ToyExperiment): ToyComparison {
  const sets = toySets(exp);
  const runs = {} as Record<ToyMethod, ToyRun>;
  for (const m of TOY_METHODS) runs[m] = trainToy(exp, m, sets);
  const model = toyModelFor(exp);
  const { train, test } = sets;
  // Read SAM's ascent at its final weights on the full training set, as it would be taken next.
  const duality = samStepDuality(model, runs.sam.params, train.x, train.y, train.n, exp.rho, 0);
  return { experiment: exp, runs, axes: axesFor(exp.data), points: projectInputs(test, 300), duality };
}
