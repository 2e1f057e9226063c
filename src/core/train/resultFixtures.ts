// Small results files with plain numbers, for tests that read, write, link or fuzz one without
// training (no tfjs).
import { attackKey, type ExperimentSpec } from '../spec';
import type { Results, RunResult } from './results';

/** Results of `spec`'s runs, in order, each with the given outcome, trained on wasm. */
export function resultsOf(
  spec: ExperimentSpec,
  outcomes: Pick<RunResult, 'status' | 'msPerStep' | 'history'>[],
): Results {
  return {
    spec,
    backend: 'wasm',
    runs: outcomes.map((outcome, i) => ({ id: spec.runs[i].id, method: spec.runs[i].method, ...outcome })),
  };
}

/**
 * `spec`'s first run done, evaluated before training (no train metrics yet: NaN) and after one
 * epoch of 8 steps against the spec's first attack; its second interrupted before any evaluation.
 */
export function twoRunResults(spec: ExperimentSpec): Results {
  const key = attackKey(spec.eval.attacks[0]);
  return resultsOf(spec, [
    {
      status: 'done',
      msPerStep: 12.5,
      history: [
        { epoch: 0, step: 0, trainLoss: NaN, trainAcc: NaN, cleanAcc: 0.1, robust: { [key]: 0.05 } },
        { epoch: 1, step: 8, trainLoss: 1.2, trainAcc: 0.6, cleanAcc: 0.7, cleanLoss: 0.9, robust: { [key]: 0.4 } },
      ],
    },
    { status: 'interrupted', msPerStep: 20, history: [] },
  ]);
}
