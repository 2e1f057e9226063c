// The smallest experiment that still shows everything: 32x32 shapes, a 4-channel CNN, two budgets.
import { DEFAULT_SPEC, type ExperimentSpec } from '../src/core/spec';

export function tinySpec(over: (s: ExperimentSpec) => void = () => {}): ExperimentSpec {
  const s = structuredClone(DEFAULT_SPEC);
  s.dataset = { ...s.dataset, name: 'shapes', trainSize: 256, testSize: 64 };
  s.model = { name: 'cnn', width: 4, depth: 1 };
  s.train = { ...s.train, epochs: 2, batchSize: 32, lr: 0.05, backend: 'wasm' };
  s.eval = {
    subsetSize: 64,
    attacks: [
      { norm: 'linf', eps: 2 / 255 },
      { norm: 'linf', eps: 8 / 255 },
    ],
    pgdSteps: 2,
    pgdSchedule: 'cosine',
    every: 1,
    during: { subsetSize: 64, pgdSteps: 2 },
    apgd: s.eval.apgd,
  };
  s.landscape = { ...s.landscape, when: 'never' };
  s.runs = [
    { id: 'sgd', method: 'sgd' },
    { id: 'sam', method: 'sam', rho: 0.1 },
    { id: 'at', method: 'at', norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 2 },
  ];
  over(s);
  return s;
}
