import { describe, expect, it } from 'vitest';
import type { StepProfile, Timing } from '../lib/measure';
import type { TimedItem } from '../lib/suite';
import { SCALED_DOWN } from './gpuPlan';
import { cudaRatios, gpuMarkdown, topKernelSentence, weightGradientKernel, type GpuBenchResult } from './gpuReport';

const timing = (medianMs: number): Timing => ({
  medianMs,
  minMs: medianMs - 1,
  maxMs: medianMs + 1,
  steps: 5,
  forwardFlops: 1,
  stepFlops: 1,
  gflops: 1,
});
const items: TimedItem[] = [
  { case: 'c', method: 'sgd', timing: timing(60) },
  { case: 'c', method: 'sam', timing: timing(110) },
  { case: 'c', method: 'at-pgd5', skipped: 'estimated 400 s > the 100 s left of the 270 s cap' },
];
const profile = (top: string): StepProfile => ({
  wallMs: 70,
  kernelMs: 50,
  kernels: [
    { name: top, ms: 30, calls: 20 },
    { name: 'Add', ms: 20, calls: 100 },
  ],
});
const im2col = { input: 'transpose', filter: 'im2col' } as const;

describe('cudaRatios', () => {
  it('divides the WebGPU median by the CUDA step where both were measured', () => {
    expect(cudaRatios(['sgd', 'sam', 'at-pgd5'], items, { sgd: 20, sam: 55, 'at-pgd5': 90 })).toEqual([
      { method: 'sgd', webgpuMs: 60, cudaMs: 20, ratio: 3 },
      { method: 'sam', webgpuMs: 110, cudaMs: 55, ratio: 2 },
      { method: 'at-pgd5', webgpuMs: undefined, cudaMs: 90 },
    ]);
  });

  it('has no ratio without PyTorch CUDA', () => {
    expect(cudaRatios(['sgd'], items, undefined)).toEqual([{ method: 'sgd', webgpuMs: 60, cudaMs: undefined }]);
  });
});

describe('the top kernel', () => {
  it("names the weight gradient's kernel per plan", () => {
    expect(weightGradientKernel('im2col')).toBe('BatchMatMul');
    expect(weightGradientKernel('native')).toBe('Conv2DBackpropFilter');
    expect(weightGradientKernel('forward-conv')).toBe('Conv2D');
  });

  it('says whether the conv weight gradient is the top kernel', () => {
    expect(topKernelSentence(profile('BatchMatMul'), im2col)).toMatch(
      /dW im2col, kernel BatchMatMul.*\) is the top kernel\.$/,
    );
    expect(topKernelSentence(profile('Conv2D'), im2col)).toMatch(
      /^top kernel Conv2D: 30 of 50 kernel ms in 20 calls; .* is not the top kernel\.$/,
    );
  });

  it('says why there is no answer', () => {
    expect(topKernelSentence(undefined, im2col)).toMatch(/^no profile/);
    const untimed: StepProfile = {
      wallMs: 70,
      kernelMs: 0,
      kernels: [{ name: 'Add', ms: 0, calls: 3 }],
      note: '3 of 3 kernels could not be timed on this backend',
    };
    expect(topKernelSentence(untimed, im2col)).toBe(
      'no kernel times: 3 of 3 kernels could not be timed on this backend.',
    );
  });
});

const result = (cuda: GpuBenchResult['cuda'], software: boolean): GpuBenchResult => ({
  date: '2026-12-01',
  machine: {
    name: 'box',
    cpus: 16,
    cpuModel: 'cpu',
    node: 'v22',
    loadStart: [1, 1, 1],
    loadEnd: [1, 1, 1],
    chromium: '156',
  },
  chromiumFlags: ['--enable-unsafe-webgpu'],
  adapter: software
    ? { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true }
    : { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', isFallbackAdapter: false },
  software,
  note: software ? SCALED_DOWN : undefined,
  case: 'preact-resnet18-w64-b128',
  convGradient: im2col,
  webgpu: { convGradient: 'dX transpose / dW im2col', items, profile: profile('BatchMatMul'), seconds: 30 },
  cuda,
  ratios: cudaRatios(['sgd', 'sam', 'at-pgd5'], items, 'unavailable' in cuda ? undefined : cuda.ms),
  topKernel: topKernelSentence(profile('BatchMatMul'), im2col),
  failed: [],
  seconds: 60,
});

describe('gpuMarkdown', () => {
  it('marks a ratio over the goal, and names the CUDA device', () => {
    const md = gpuMarkdown(
      result({ case: 'c', threads: 1, device: 'NVIDIA H200', ms: { sgd: 20, sam: 55, 'at-pgd5': 90 } }, false),
    );
    expect(md).toContain('| SGD | 60 (59-61, 5) | 20 | 3.00 **over** |');
    expect(md).toContain('| SAM | 110 (109-111, 5) | 55 | 2.00 |');
    expect(md).toContain('| AT-PGD-5 | skip: estimated 400 s > the 100 s left of the 270 s cap | 90 | – |');
    expect(md).toContain('PyTorch CUDA on NVIDIA H200');
    expect(md).toContain('(hardware)');
    expect(md).not.toContain(SCALED_DOWN);
  });

  it('says PyTorch CUDA is not available, and that a software adapter scaled the case down', () => {
    const md = gpuMarkdown(result({ unavailable: 'CUDA is not available (torch 1.13.0a0, built without CUDA)' }, true));
    expect(md).toContain('PyTorch CUDA: not available (CUDA is not available (torch 1.13.0a0, built without CUDA)).');
    expect(md).toContain(`**${SCALED_DOWN}.**`);
    expect(md).toContain('| SGD | 60 (59-61, 5) | – | – |');
    expect(md).toContain('fallback yes (software)');
  });
});
