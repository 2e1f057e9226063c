// The benchmark matrix. The full one asks for everything; runSuite skips, with the reason, what its
// estimate (from the backend's own first SGD step) says would not fit the caps, so a slow backend
// (cpu, SwiftShader) measures the small cases and prints why it left the large ones out.
import type { ConvGradientPlan } from '../../src/core/model/conv';
import type { BackendName } from '../../src/core/backend';
import type { AttainablePlan } from './attainable';
import type { PeerPlan } from '../peers/peerSuite';
import { METHODS, type ModelCase } from './measure';
import type { SuitePlan } from './suite';

const FULL_CASES: ModelCase[] = [
  { model: 'preact-resnet10', width: 16, batch: 64 },
  { model: 'preact-resnet10', width: 16, batch: 128 },
  { model: 'preact-resnet18', width: 16, batch: 64 },
  { model: 'preact-resnet18', width: 16, batch: 128 },
  { model: 'preact-resnet18', width: 64, batch: 64 },
  { model: 'preact-resnet18', width: 64, batch: 128 },
];

/**
 * Formulations of the conv gradient to compare (src/core/model/conv.ts). wasm has no
 * Conv2DBackpropFilter ('native'); the slow backends get four, so that SwiftShader fits its cap:
 * tfjs's own pair, dX as tfjs does it with either dW of ours, and both of ours by forward convs.
 */
const convGradients = (b: BackendName): ConvGradientPlan[] =>
  b === 'wasm'
    ? (['forward-conv', 'transpose'] as const).flatMap((input) =>
        (['im2col', 'forward-conv'] as const).map((filter) => ({ input, filter })),
      )
    : [
        { input: 'transpose', filter: 'native' },
        { input: 'transpose', filter: 'im2col' },
        { input: 'transpose', filter: 'forward-conv' },
        { input: 'forward-conv', filter: 'forward-conv' },
      ];

const QUICK_CASE: ModelCase = { model: 'preact-resnet10', width: 4, batch: 16 };

/**
 * The attainable-FLOP/s probe: a matmul and the 32x32 C->C 3x3 conv of each model width a backend
 * measures (the first stage's, where the most FLOPs are). Smaller off wasm, where one op would
 * take seconds: cpu is ~50x slower, and SwiftShader's WebGPU conv ~1,000x (2 s for the width-4 one).
 */
const ATTAINABLE: Record<BackendName, { matmul: number; batch: number; widths: number[] }> = {
  wasm: { matmul: 1024, batch: 64, widths: [4, 16, 64] },
  cpu: { matmul: 256, batch: 16, widths: [4, 16] },
  webgl: { matmul: 512, batch: 16, widths: [4, 16] },
  webgpu: { matmul: 256, batch: 16, widths: [4] },
};

function attainablePlan(backend: BackendName, quick: boolean): AttainablePlan {
  const a = ATTAINABLE[backend];
  const batch = quick ? QUICK_CASE.batch : a.batch;
  return {
    matmul: quick ? a.matmul / 4 : a.matmul,
    convs: (quick ? [QUICK_CASE.width] : a.widths).map((c) => ({ batch, size: 32, cIn: c, cOut: c, k: 3 })),
    reps: quick ? 3 : 5,
    budgetMs: quick ? 1_000 : 5_000,
  };
}

export function fullPlan(backend: BackendName): SuitePlan {
  // cpu (~7x slower than wasm) and SwiftShader's WebGL / WebGPU (CPU emulations of a GPU) measure
  // the small case and whatever of the rest fits their time; wasm gets the most time.
  const slow = backend !== 'wasm';
  return {
    cases: [QUICK_CASE, ...FULL_CASES],
    probe: QUICK_CASE,
    detail: slow ? QUICK_CASE : FULL_CASES[0],
    methods: [...METHODS],
    timing: { warmup: 1, steps: 10, minSteps: slow ? 2 : 3, budgetMs: 15_000 },
    itemCapMs: 60_000,
    backendCapMs: { wasm: 240_000, cpu: 80_000, webgl: 200_000, webgpu: 400_000 }[backend],
    memorySteps: 500,
    memoryBudgetMs: 10_000,
    pgdEvalImages: 128,
    convGradients: convGradients(backend),
    attainable: attainablePlan(backend, false),
  };
}

/**
 * A few minutes in all: a narrow ResNet-10 at batch 16, a few steps, everything exercised once.
 * SwiftShader's WebGPU and WebGL (a GPU emulated on the CPU, ~5-20 s per step of this model
 * including shader compilation) get the time one step of each method needs.
 */
export function quickPlan(backend: BackendName): SuitePlan {
  return {
    cases: [QUICK_CASE],
    probe: QUICK_CASE,
    detail: QUICK_CASE,
    methods: backend === 'cpu' ? ['sgd', 'sam', 'at-pgd1'] : [...METHODS],
    timing: { warmup: 1, steps: 3, minSteps: 2, budgetMs: 1_000 },
    itemCapMs: 5_000,
    backendCapMs: { wasm: 15_000, cpu: 30_000, webgl: 60_000, webgpu: 120_000 }[backend],
    memorySteps: 10,
    memoryBudgetMs: 2_000,
    pgdEvalImages: 16,
    convGradients: convGradients(backend),
    attainable: attainablePlan(backend, true),
  };
}

/**
 * The race against the peers (bench/peers/): the lab's default case, preact-resnet10 width 16 batch
 * 64 (--quick: the tiny case). The slow backends (cpu, SwiftShader) race the tiny case first, then
 * whatever of the default case fits their time.
 */
export function peerPlan(backend: BackendName, quick: boolean): PeerPlan {
  const slow = backend !== 'wasm';
  return {
    // The small case first on every backend: it measures each peer's own rate, which decides whether
    // the large case fits (a jax-js step of it took minutes).
    cases: quick ? [QUICK_CASE] : [QUICK_CASE, FULL_CASES[0]],
    probe: QUICK_CASE,
    methods: ['sgd', 'sam', 'at-pgd5'],
    timing: quick
      ? { warmup: 1, steps: 3, minSteps: 2, budgetMs: 1_000 }
      : { warmup: 1, steps: 10, minSteps: slow ? 2 : 3, budgetMs: 15_000 },
    itemCapMs: quick ? 45_000 : 90_000,
    backendCapMs: (quick
      ? { wasm: 30_000, cpu: 60_000, webgl: 90_000, webgpu: 120_000 }
      : { wasm: 240_000, cpu: 120_000, webgl: 200_000, webgpu: 300_000 })[backend],
  };
}
