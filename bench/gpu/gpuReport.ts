// The GPU bench's result (bench/results/<date>-<machine>-gpu.json) and its markdown: WebGPU step
// times against PyTorch CUDA's on the same model, and what dominates a WebGPU SGD step.
import type { ConvGradientPlan } from '../../src/core/model/conv';
import type { BenchMachine } from '../bench';
import type { WebGpuAdapterInfo } from '../../src/worker/gpuAdapters';
import type { MethodKey, StepProfile } from '../lib/measure';
import type { TimedItem } from '../lib/suite';
import type { TorchResult } from '../pytorchBench';
import type { GpuSuiteResult } from './gpuSuite';

/** WebGPU step / PyTorch CUDA step at or under this, per method. */
export const CUDA_GOAL = 2;

export interface GpuRatio {
  method: MethodKey;
  webgpuMs?: number;
  cudaMs?: number;
  /** webgpuMs / cudaMs, where both were measured. */
  ratio?: number;
}

export interface GpuBenchResult {
  date: string;
  /** gpus: nvidia-smi's name and driver of each GPU, where it is installed. */
  machine: BenchMachine & { gpus?: string[] };
  chromiumFlags: string[];
  adapter: WebGpuAdapterInfo;
  software: boolean;
  /** Set on a software adapter (gpuPlan.ts SCALED_DOWN). */
  note?: string;
  case: string;
  convGradient: ConvGradientPlan;
  webgpu?: GpuSuiteResult;
  cuda: TorchResult | { unavailable: string };
  ratios: GpuRatio[];
  /** One sentence on the top kernel of the profiled SGD step. */
  topKernel: string;
  failed: string[];
  seconds: number;
}

const LABELS: Partial<Record<MethodKey, string>> = { sgd: 'SGD', sam: 'SAM', 'at-pgd5': 'AT-PGD-5' };
const label = (m: MethodKey) => LABELS[m] ?? m;
const ms = (v: number | undefined) => (v === undefined ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0));

/** Per method: the WebGPU median step, PyTorch CUDA's, and their ratio where both exist. */
export function cudaRatios(methods: MethodKey[], items: TimedItem[], cudaMs?: Record<string, number>): GpuRatio[] {
  return methods.map((method) => {
    const webgpuMs = items.find((i) => i.method === method)?.timing?.medianMs;
    const cuda = cudaMs?.[method];
    const r: GpuRatio = { method, webgpuMs, cudaMs: cuda };
    if (webgpuMs !== undefined && cuda !== undefined && cuda > 0) r.ratio = Math.round((webgpuMs / cuda) * 100) / 100;
    return r;
  });
}

/** The tfjs kernel that computes the conv weight gradient under the lab's plan (src/core/model/conv.ts). */
export function weightGradientKernel(filter: ConvGradientPlan['filter']): string {
  return { im2col: 'BatchMatMul', 'forward-conv': 'Conv2D', native: 'Conv2DBackpropFilter' }[filter];
}

/** Whether the conv weight gradient is the top kernel of the profiled SGD step, in one sentence. */
export function topKernelSentence(profile: StepProfile | undefined, plan: ConvGradientPlan): string {
  if (!profile) return 'no profile: the SGD step was not profiled within the time cap.';
  const top = profile.kernels[0];
  if (!top || top.ms <= 0) return `no kernel times: ${profile.note ?? 'the profile timed no kernel'}.`;
  const dw = weightGradientKernel(plan.filter);
  // By name: the same kernel may also serve other layers; say which.
  const shared = {
    im2col: " (also the classifier's matmuls, a small share)",
    'forward-conv': ' (also the forward convs)',
  };
  const share = plan.filter === 'native' ? '' : shared[plan.filter];
  return (
    `top kernel ${top.name}: ${ms(top.ms)} of ${ms(profile.kernelMs)} kernel ms in ${top.calls} calls; ` +
    `the conv weight gradient (dW ${plan.filter}, kernel ${dw}${share}) is ${top.name === dw ? '' : 'not '}the top kernel.`
  );
}

export function gpuMarkdown(r: GpuBenchResult): string {
  const a = r.adapter;
  const out = [`# GPU benchmark ${r.date} on ${r.machine.name}`, ''];
  if (r.note) out.push(`**${r.note}.**`, '');
  out.push(
    `- WebGPU adapter: vendor \`${a.vendor ?? ''}\`, architecture \`${a.architecture ?? ''}\`, device \`${a.device ?? ''}\`, description \`${a.description ?? ''}\`${a.isFallbackAdapter === undefined ? '' : `, fallback ${a.isFallbackAdapter ? 'yes' : 'no'}`} (${r.software ? 'software' : 'hardware'}).`,
    `- Chromium ${r.machine.chromium ?? '?'} with \`${r.chromiumFlags.join(' ')}\`.`,
    ...(r.machine.gpus ? [`- nvidia-smi: ${r.machine.gpus.join('; ')}.`] : []),
    `- ${r.machine.cpus} x ${r.machine.cpuModel}; load average ${r.machine.loadStart.map((v) => v.toFixed(1)).join(' / ')} at the start, ${r.machine.loadEnd.map((v) => v.toFixed(1)).join(' / ')} at the end; ${r.seconds.toFixed(0)} s in all.`,
    `- Case: ${r.case}, CIFAR-10-shaped random data (32x32x3, 10 classes), the lab's Trainer.step() on tfjs-webgpu; conv gradient dX ${r.convGradient.input} / dW ${r.convGradient.filter}.`,
    '',
    '## Step time: WebGPU against PyTorch CUDA',
    '',
  );
  const cuda = 'unavailable' in r.cuda ? undefined : r.cuda;
  out.push(
    cuda
      ? `PyTorch CUDA on ${cuda.device ?? '?'}: median of ${r.case}'s steps, synchronized around each.`
      : `PyTorch CUDA: not available (${'unavailable' in r.cuda ? r.cuda.unavailable : ''}).`,
    '',
    `| method | WebGPU ms (min-max, steps) | PyTorch CUDA ms | WebGPU / CUDA (goal <= ${CUDA_GOAL}) |`,
    '|---|---:|---:|---:|',
  );
  for (const g of r.ratios) {
    const t = r.webgpu?.items.find((i) => i.method === g.method);
    const webgpu = t?.timing
      ? `${ms(t.timing.medianMs)} (${ms(t.timing.minMs)}-${ms(t.timing.maxMs)}, ${t.timing.steps})`
      : `skip${t?.skipped ? `: ${t.skipped}` : ''}`;
    const ratio = g.ratio === undefined ? '–' : `${g.ratio.toFixed(2)}${g.ratio > CUDA_GOAL ? ' **over**' : ''}`;
    out.push(`| ${label(g.method)} | ${webgpu} | ${ms(g.cudaMs)} | ${ratio} |`);
  }
  out.push('', '## Kernels of one WebGPU SGD step (tf.profile)', '', r.topKernel, '');
  const p = r.webgpu?.profile;
  if (p && p.kernels.length) {
    out.push(
      `Wall ${ms(p.wallMs)} ms, kernels ${ms(p.kernelMs)} ms.`,
      '',
      '| kernel | ms | calls |',
      '|---|---:|---:|',
    );
    for (const k of p.kernels) out.push(`| ${k.name} | ${ms(k.ms)} | ${k.calls} |`);
    out.push('');
  }
  if (r.failed.length) out.push('## Failed', '', ...r.failed.map((f) => `- ${f}`), '');
  return out.join('\n');
}
