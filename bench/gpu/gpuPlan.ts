// What the GPU bench times: the paper's model at its size on a GPU, or, on a software adapter
// (SwiftShader: seconds per step of even the smallest ResNet, minutes of the full case), a
// scaled-down case that only shows the command works.
import type { MethodKey, ModelCase } from '../lib/measure';
import type { GpuSuitePlan } from './gpuSuite';

export const GPU_METHODS: MethodKey[] = ['sgd', 'sam', 'at-pgd5'];

export const GPU_CASE: ModelCase = { model: 'preact-resnet18', width: 64, batch: 128 };
export const SOFTWARE_CASE: ModelCase = { model: 'preact-resnet10', width: 4, batch: 16 };

export const SCALED_DOWN = "software adapter: case scaled down; these numbers are not a GPU's";

export function gpuPlan(software: boolean, capMs: number): GpuSuitePlan {
  return {
    case: software ? SOFTWARE_CASE : GPU_CASE,
    methods: GPU_METHODS,
    // A GPU step takes tens to hundreds of ms: a few steps after two warm-ups (shader compilation).
    // SwiftShader takes seconds (AT-PGD-5 six times SGD's): one step after one warm-up.
    timing: software
      ? { warmup: 1, steps: 1, minSteps: 1, budgetMs: 0 }
      : { warmup: 2, steps: 10, minSteps: 3, budgetMs: 5_000 },
    capMs,
  };
}
