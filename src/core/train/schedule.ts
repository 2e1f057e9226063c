// Learning-rate schedules, as a function of the optimiser step about to be taken (0-based).
import type { Schedule } from '../spec';

/** The rate for step `step` of `totalSteps`, from the base rate `lr`. */
export function learningRate(schedule: Schedule, lr: number, step: number, totalSteps: number): number {
  const t = totalSteps > 0 ? step / totalSteps : 0;
  switch (schedule) {
    case 'constant':
      return lr;
    case 'piecewise':
      // The paper's schedule: x0.1 at 75% and again at 90% of training.
      return t >= 0.9 ? lr * 0.01 : t >= 0.75 ? lr * 0.1 : lr;
    case 'cosine':
      // Cosine annealing to 0 over the run (Loshchilov & Hutter, 2017, without restarts).
      return 0.5 * lr * (1 + Math.cos(Math.PI * t));
    default:
      throw new Error(`unknown schedule ${JSON.stringify(schedule)}`);
  }
}
