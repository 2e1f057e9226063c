// One small finished result of each kind, with plain numbers, for tests that store or check
// results without computing them (no tfjs).
import type { LandscapeKind, LandscapeResult } from './results';

const measured = (evals: number, gradEvals: number) => ({
  batchSize: 8,
  estimate: { evals, gradEvals },
  evals,
  gradEvals,
  ms: 12.5,
});

export function sampleResults(): Record<LandscapeKind, LandscapeResult> {
  return {
    'weight-1d': {
      kind: 'weight-1d',
      ...measured(3, 0),
      alphas: [-1, 0, 1],
      loss: [2.5, 0.4, 2.1],
      acc: [0.25, 0.875, 0.375],
    },
    'input-1d': {
      kind: 'input-1d',
      ...measured(6, 2),
      adversary: 'pgd',
      ts: [0, 0.5, 1],
      lossAdv: [0.4, 1.2, 3],
      lossRand: [0.4, 0.45, 0.5],
      accAdv: [0.875, 0.5, 0],
      accRand: [0.875, 0.875, 0.75],
    },
    'weight-2d': {
      kind: 'weight-2d',
      ...measured(4, 0),
      alphas: [-1, 1],
      betas: [-1, 1],
      loss: [
        [2, 3],
        [1.5, 2.5],
      ],
      acc: [
        [0.5, 0.25],
        [0.625, 0.375],
      ],
    },
    'input-2d': {
      kind: 'input-2d',
      ...measured(4, 2),
      adversary: 'gradient-sign',
      alphas: [0, 1],
      betas: [-1, 1],
      loss: [
        [0.4, 0.5],
        [2, 2.2],
      ],
      acc: [
        [1, 0.875],
        [0.25, 0.125],
      ],
    },
    sharpness: {
      kind: 'sharpness',
      ...measured(1, 8),
      loss: 0.4,
      samSharpness: 0.02,
      rho: 0.05,
      hessianTop: 13.5,
      iterations: 7,
      relChange: 4e-4,
      tolerance: 1e-3,
      converged: true,
    },
    duality: {
      kind: 'duality',
      ...measured(0, 3),
      rho: 0.05,
      layer: 'conv1.weight',
      firstShare: 0.3,
      attack: { norm: 'linf', eps: 2 / 255, stepSize: 0.5 / 255, steps: 2 },
      shape: [1, 2, 1],
      x: Float32Array.of(0.5, 0.25, 1, 0),
      d: Float32Array.of(0.001, -0.002, 0, 0.003),
      delta: Float32Array.of(2 / 255, -2 / 255, 0, 2 / 255),
      images: [
        {
          label: 0,
          relResidual: 0.6,
          normalResidual: 1e-5,
          dL2: 0.57,
          dLinf: 0.51,
          deltaL2: 2.83,
          deltaLinf: 2,
          cos: 0.95,
        },
        {
          label: 1,
          relResidual: 0.7,
          normalResidual: 2e-5,
          dL2: 0.77,
          dLinf: 0.77,
          deltaL2: 2,
          deltaLinf: 2,
          cos: 0.71,
        },
      ],
      iterations: 12,
    },
  };
}
