// The lab page itself (built like `npm run build`, driven like e2e/): what a user waits for and
// what the page costs the main thread, memory and network.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { tinySpec } from '../e2e/tinySpec';
import {
  clickButton,
  controlButton,
  ended,
  launchChromium,
  longestTaskSince,
  openLab,
  waitForState,
} from './labDriver';
import type { ExperimentSpec } from '../src/core/spec';
import { DEFAULT_PRESET_ID, PRESETS } from '../src/core/presets';
import { peakOf, treeMemory, type TreeMemory } from './lib/processMemory';
import { buildAndServe, ROOT } from './lib/serve';
import { timePreset, type PresetTiming, type PresetTimingConfig } from './presetTiming';

export interface AssetSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface PageResult {
  /** Scripts and styles index.html loads before the page runs, gzip sizes. */
  initial: AssetSize[];
  initialGzipBytes: number;
  /** Everything else the build ships (worker bundle, wasm, lazy chunks), largest first. */
  later: AssetSize[];
  laterGzipBytes: number;
  /** Default preset, backend auto: Train pressed -> first point in the loss chart / first evaluation (undefined: not within firstPointCapMs). */
  firstPointMs?: number;
  firstEvalMs?: number;
  backend?: string;
  /** Longest main-thread task while the default preset's three runs train, over `watchMs`. */
  longestTaskMs?: number;
  watchMs: number;
  firstPointCapMs: number;
  /** Main-thread JS heap after the default preset's watch. */
  jsHeapBytes?: number;
  /**
   * Peak memory (processMemory.ts: PSS of the page's renderer and of all Chromium) of a fresh
   * Chromium training the default preset, and three runs of the CIFAR-10 grid (5,000 images; absent
   * when datasets/cifar10 is not prepared), each until every run has stepped, then `watchMs`.
   */
  memory: { defaultPreset?: TreeMemory; cifar?: TreeMemory; defaultPresetWorkerEach?: TreeMemory };
  /** Three runs in one worker (the default) and in a worker each, against the same runs one after another (tiny spec, wasm). */
  concurrency?: {
    oneWorkerMs: number;
    workerEachMs: number;
    sequentialMs: number;
    oneWorkerRatio: number;
    workerEachRatio: number;
  };
  /** The default preset from a fresh profile: click -> each run's first point, -> all done. */
  preset: PresetTiming[];
  errors: string[];
}

function sizeOf(dir: string, file: string): AssetSize {
  const buf = fs.readFileSync(path.join(dir, file));
  return { file, bytes: buf.length, gzipBytes: zlib.gzipSync(buf, { level: 9 }).length };
}

function assetSizes(outDir: string): Pick<PageResult, 'initial' | 'initialGzipBytes' | 'later' | 'laterGzipBytes'> {
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const initial = ['index.html', ...new Set(refs)].map((f) => sizeOf(outDir, f));
  const all: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(outDir, d), { withFileTypes: true })) {
      const rel = d ? `${d}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else all.push(rel);
    }
  };
  walk('');
  const later = all
    .filter((f) => !initial.some((i) => i.file === f) && /\.(js|css|wasm)$/.test(f))
    .map((f) => sizeOf(outDir, f))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  const sum = (v: AssetSize[]) => v.reduce((s, a) => s + a.gzipBytes, 0);
  return { initial, initialGzipBytes: sum(initial), later, laterGzipBytes: sum(later) };
}

async function wallTimeOf(
  context: BrowserContext,
  url: string,
  spec: ExperimentSpec,
  errors: string[],
  query = '',
): Promise<number> {
  const lab = await openLab(context, url, spec, query);
  try {
    // The profile is shared: a page closed while training leaves its runs behind, and Train waits for Reset.
    if (!(await controlButton(lab.page, 'Train').isEnabled())) await clickButton(lab.page, 'Reset');
    const t0 = Date.now();
    await clickButton(lab.page, 'Train');
    const s = await waitForState(
      lab,
      (st) => st.runs.length === spec.runs.length && st.runs.every(ended),
      600_000,
      'the runs to end',
    );
    const ms = Date.now() - t0;
    for (const r of s.runs)
      if (r.status !== 'done') errors.push(`concurrency run ${r.id}: ${r.status} ${r.error ?? ''}`);
    return ms;
  } finally {
    await lab.page.close();
  }
}

/** Three runs of the CIFAR-10 grid preset (5,000 training images): the data's copies dominate its memory. */
export function cifarSpec(): ExperimentSpec {
  const spec = structuredClone(PRESETS.find((p) => p.id === 'cifar10-grid')!.spec);
  spec.runs = [spec.runs[0], spec.runs[1], spec.runs.at(-1)!];
  return spec;
}

/** Peak memory of a fresh Chromium (nothing else open) from Train until every run has stepped or `capMs`, then over `watchMs`. */
async function peakMemoryWhileTraining(
  url: string,
  spec: ExperimentSpec,
  o: { capMs: number; watchMs: number; query?: string },
  errors: string[],
): Promise<TreeMemory> {
  const browser = await launchChromium();
  try {
    const lab = await openLab(browser.context, url, spec, o.query);
    // The blank tab a persistent context starts with has a renderer of its own (16-30 MiB), which
    // a user opening the lab in that tab does not have.
    for (const p of browser.context.pages()) if (p !== lab.page) await p.close();
    await clickButton(lab.page, 'Train');
    let peak = treeMemory();
    const sample = async (ms: number) => {
      peak = peakOf(peak, treeMemory());
      await lab.page.waitForTimeout(ms);
    };
    const until = Date.now() + o.capMs;
    while (Date.now() < until && !(await lab.state()).runs.every((r) => r.step > 0)) await sample(250);
    const watchUntil = Date.now() + o.watchMs;
    while (Date.now() < watchUntil) await sample(250);
    errors.push(...lab.errors);
    return peak;
  } finally {
    await browser.close();
  }
}

export async function runPageBench(
  context: BrowserContext,
  o: { watchMs: number; firstPointCapMs: number; concurrencyEpochs: number; preset: PresetTimingConfig[] },
  log: (line: string) => void,
): Promise<PageResult> {
  const served = await buildAndServe('index.html');
  const out: PageResult = {
    ...assetSizes(served.outDir),
    watchMs: o.watchMs,
    firstPointCapMs: o.firstPointCapMs,
    preset: [],
    memory: {},
    errors: [],
  };
  log(
    `page: initial JS+CSS ${(out.initialGzipBytes / 1024).toFixed(0)} KiB gzip, later ${(out.laterGzipBytes / 1024).toFixed(0)} KiB gzip`,
  );
  try {
    for (const config of o.preset) out.preset.push(await timePreset(served.url, config, log));
    // Concurrency first: after the default preset's WebGPU runs, SwiftShader's GPU process stays
    // busy for a while and the next page's first clicks time out.
    const spec = tinySpec((s) => (s.train.epochs = o.concurrencyEpochs));
    const oneWorkerMs = await wallTimeOf(context, served.url, spec, out.errors);
    const workerEachMs = await wallTimeOf(context, served.url, spec, out.errors, `&workers=${spec.runs.length}`);
    let sequentialMs = 0;
    for (const r of spec.runs)
      sequentialMs += await wallTimeOf(context, served.url, { ...spec, runs: [r] }, out.errors);
    const ratio = (ms: number) => Math.round((sequentialMs / ms) * 100) / 100;
    out.concurrency = {
      oneWorkerMs,
      workerEachMs,
      sequentialMs,
      oneWorkerRatio: ratio(oneWorkerMs),
      workerEachRatio: ratio(workerEachMs),
    };
    log(
      `page: three runs in one worker ${oneWorkerMs} ms, in a worker each ${workerEachMs} ms, one after another ${sequentialMs} ms`,
    );
    const lab = await openLab(context, served.url);
    try {
      const t0 = await lab.page.evaluate(() => performance.now());
      await clickButton(lab.page, 'Train');
      const points = () =>
        lab.page.evaluate(() =>
          Number(document.querySelector('[data-chart="loss"]')?.getAttribute('data-points') ?? 0),
        );
      const until = Date.now() + o.firstPointCapMs;
      while (Date.now() < until && (out.firstPointMs === undefined || out.firstEvalMs === undefined)) {
        const now = await lab.page.evaluate(() => performance.now());
        if (out.firstPointMs === undefined && (await points()) > 0) out.firstPointMs = Math.round(now - t0);
        const s = await lab.state();
        if (out.firstEvalMs === undefined && s.runs.some((r) => r.evaluations > 0))
          out.firstEvalMs = Math.round(now - t0);
        out.backend = s.runs[0]?.backend;
        await lab.page.waitForTimeout(100);
      }
      log(
        `page: Train -> first loss point ${out.firstPointMs} ms, first evaluation ${out.firstEvalMs} ms (backend ${out.backend})`,
      );
      const watchUntil = Date.now() + o.watchMs;
      while (Date.now() < watchUntil) await lab.page.waitForTimeout(500);
      out.longestTaskMs = Math.round(await longestTaskSince(lab.page, t0));
      out.jsHeapBytes = await lab.page.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      );
      log(`page: longest main-thread task ${out.longestTaskMs} ms over ${o.watchMs / 1000} s of three runs`);
      // Closing the page below ends its workers; no Stop needed.
      out.errors.push(...lab.errors);
    } finally {
      await lab.page.close();
    }
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    const memory = async (what: string, spec: ExperimentSpec, capMs: number, query?: string) => {
      const m = await peakMemoryWhileTraining(served.url, spec, { capMs, watchMs: o.watchMs, query }, out.errors);
      log(
        `page: ${what}: peak PSS page ${mib(m.rendererPssBytes)}, all Chromium ${mib(m.pssBytes)} (summed RSS ${mib(m.rssBytes)})`,
      );
      return m;
    };
    const preset = structuredClone(PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.spec);
    out.memory.defaultPreset = await memory('default preset', preset, o.firstPointCapMs);
    if (fs.existsSync(path.join(ROOT, 'datasets/cifar10')))
      out.memory.cifar = await memory('CIFAR-10 5k, three runs', cifarSpec(), o.firstPointCapMs * 2);
    else log('page: CIFAR-10 memory skipped: datasets/cifar10 is not prepared (npm run datasets)');
    out.memory.defaultPresetWorkerEach = await memory(
      'default preset in a worker each',
      preset,
      o.firstPointCapMs,
      `&workers=${preset.runs.length}`,
    );
  } finally {
    await served.close();
  }
  return out;
}
