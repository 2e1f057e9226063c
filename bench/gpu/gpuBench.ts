// `npm run bench -- --gpu`: the lab's training step on a real GPU through WebGPU in headless
// Chromium, against PyTorch CUDA on the same model, in one command under TOTAL_CAP_MS. Refuses a
// software adapter (SwiftShader) unless allowed, and then times a scaled-down case.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { convGradientPlan } from '../../src/core/model/conv';
import { isSoftwareWebGpuAdapter, webGpuAdapterName, type WebGpuAdapterInfo } from '../../src/worker/gpuAdapters';
import type { BenchRequest } from '../browser/protocol';
import { launchChromium } from '../labDriver';
import { caseKey, type ModelCase } from '../lib/measure';
import { buildAndServe, ROOT } from '../lib/serve';
import { torchCase, torchMissing, type TorchResult } from '../pytorchBench';
import { GPU_CHROMIUM_FLAGS } from './chromiumGpuFlags';
import { GPU_CASE, GPU_METHODS, gpuPlan, SCALED_DOWN, SOFTWARE_CASE } from './gpuPlan';
import type { GpuSuiteResult } from './gpuSuite';
import { cudaRatios, gpuMarkdown, topKernelSentence, type GpuBenchResult } from './gpuReport';

const TOTAL_CAP_MS = 300_000;
/** Kept back from the WebGPU suite for PyTorch CUDA (torch import, cuDNN start, 33 steps) and the close. */
const TORCH_RESERVE_MS = 30_000;

/** GPUAdapter.info as plain data (its fields are getters), from a page on a secure origin; null: no adapter. */
async function readAdapter(context: BrowserContext): Promise<WebGpuAdapterInfo | null> {
  const page = await context.newPage();
  try {
    // navigator.gpu exists only in secure contexts: a localhost page, served by the route itself.
    await page.route('http://localhost/adapter', (r) =>
      r.fulfill({ contentType: 'text/html', body: '<p>adapter</p>' }),
    );
    await page.goto('http://localhost/adapter');
    return await page.evaluate(async () => {
      type Info = WebGpuAdapterInfo;
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(o: object): Promise<{ info?: Info } | null> } })
        .gpu;
      // What tfjs-backend-webgpu asks for.
      const a = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
      if (!a) return null;
      const { vendor, architecture, device, description, isFallbackAdapter } = a.info ?? {};
      return { vendor, architecture, device, description, isFallbackAdapter };
    });
  } finally {
    await page.close();
  }
}

/** nvidia-smi's name and driver of each GPU, for the record; undefined where there is none. */
function nvidiaGpus(): string[] | undefined {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n') : undefined;
}

/** The bench page's worker runs gpuSuite.ts with what is left until `deadline` after the build. */
async function runWebGpuSuite(
  context: BrowserContext,
  software: boolean,
  deadline: number,
  log: (line: string) => void,
): Promise<GpuSuiteResult> {
  const served = await buildAndServe('bench/browser/index.html');
  const page = await context.newPage();
  page.on('console', (m) => log(m.text()));
  try {
    await page.goto(served.url);
    await page.waitForFunction(() => '__bench' in window);
    return await page.evaluate(
      (r) => (window as unknown as { __bench: { run(r: unknown): Promise<GpuSuiteResult> } }).__bench.run(r),
      {
        backend: 'webgpu',
        job: { kind: 'gpu', plan: gpuPlan(software, deadline - Date.now()) },
      } satisfies BenchRequest,
    );
  } finally {
    await page.close();
    await served.close();
  }
}

/** PyTorch CUDA's step times on the case, or why there are none. */
function cudaSteps(c: ModelCase, timeoutMs: number): TorchResult | { unavailable: string } {
  const missing = torchMissing();
  if (missing) return { unavailable: missing };
  // Milliseconds a step on a GPU: 10 steps after a warm-up take seconds.
  const r = torchCase(c, 10, ['--device', 'cuda', '--pgd', '5'], timeoutMs);
  return 'failed' in r ? { unavailable: r.failed } : r;
}

/** Rejects with `message` once `ms` have passed since `t0`. */
function capAt<T>(work: Promise<T>, t0: number, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), Math.max(0, t0 + ms - Date.now()));
  });
  return Promise.race([work, cap]).finally(() => clearTimeout(timer));
}

/** Runs the GPU bench and returns the exit status: 1 when refused, stopped at the cap or failed. */
export async function runGpuBench(o: { allowSoftware: boolean }, log: (line: string) => void): Promise<number> {
  const t0 = Date.now();
  const loadStart = os.loadavg();
  const browser = await launchChromium(GPU_CHROMIUM_FLAGS);
  let result: GpuBenchResult;
  try {
    const adapter = await readAdapter(browser.context);
    if (!adapter) {
      console.error(
        'bench --gpu: Chromium found no WebGPU adapter at all (no Vulkan driver? see bench/gpu/README.md); nothing to time.',
      );
      return 1;
    }
    const software = isSoftwareWebGpuAdapter(adapter);
    log(`bench --gpu: WebGPU adapter ${JSON.stringify(adapter)}: ${software ? 'software' : 'hardware'}`);
    if (software && !o.allowSoftware) {
      console.error(
        `bench --gpu: refusing to report: the WebGPU adapter is a software one (${webGpuAdapterName(adapter)}${adapter.isFallbackAdapter ? ', fallback adapter' : ''}), a GPU emulated on the CPU. ` +
          'Run on a machine with a GPU and its Vulkan driver (bench/gpu/README.md), or add --allow-software to time a scaled-down case on it anyway.',
      );
      return 1;
    }
    if (software) log(`bench --gpu: ${SCALED_DOWN}`);
    const c = software ? SOFTWARE_CASE : GPU_CASE;
    const failed: string[] = [];
    const webgpu = await capAt(
      runWebGpuSuite(browser.context, software, t0 + TOTAL_CAP_MS - TORCH_RESERVE_MS, log).catch((e: unknown) => {
        failed.push(`webgpu: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
        return undefined;
      }),
      t0,
      TOTAL_CAP_MS,
      `bench --gpu: stopped at the ${TOTAL_CAP_MS / 1000} s cap while timing WebGPU (${caseKey(c)}); no result written`,
    );
    const cuda = cudaSteps(c, Math.max(5_000, t0 + TOTAL_CAP_MS - Date.now()));
    log(
      'unavailable' in cuda
        ? `PyTorch CUDA: not available (${cuda.unavailable})`
        : `PyTorch CUDA (${cuda.device}): ${Object.entries(cuda.ms)
            .map(([m, v]) => `${m} ${v} ms`)
            .join(', ')}`,
    );
    const plan = convGradientPlan('webgpu');
    result = {
      date: new Date().toISOString().slice(0, 10),
      machine: {
        name: os.hostname(),
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '?',
        node: process.version,
        loadStart,
        loadEnd: os.loadavg(),
        chromium: browser.context.browser()?.version(),
        gpus: nvidiaGpus(),
      },
      chromiumFlags: GPU_CHROMIUM_FLAGS,
      adapter,
      software,
      note: software ? SCALED_DOWN : undefined,
      case: caseKey(c),
      convGradient: plan,
      webgpu,
      cuda,
      ratios: cudaRatios(GPU_METHODS, webgpu?.items ?? [], 'unavailable' in cuda ? undefined : cuda.ms),
      topKernel: topKernelSentence(webgpu?.profile, plan),
      failed,
      seconds: (Date.now() - t0) / 1000,
    };
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  } finally {
    await browser.close();
  }
  const base = path.join(ROOT, 'bench/results', `${result.date}-${result.machine.name}-gpu`);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const md = gpuMarkdown(result);
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 1) + '\n');
  fs.writeFileSync(`${base}.md`, md);
  console.log('\n' + md);
  console.log(`written ${path.relative(ROOT, base)}.json and .md`);
  return result.failed.length ? 1 : 0;
}
