// `npm run bench` (full, ~25 min here) and `npm run bench -- --quick` (a small model, a few steps):
// step times, ratios, kernel profiles, memory, PyTorch, the race against the peers (stock tfjs,
// jax-js), and the page; writes bench/results/<date>-<machine>[-quick].json and .md and prints the
// markdown. Numbers only: a slow result never fails the command (only a crash does).
// `--only node,pytorch,browser,peers,page` picks parts.
// `--gpu [--allow-software]`: the GPU bench instead (bench/gpu/gpuBench.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from './labDriver';
import { BACKEND_NAMES, type BackendName } from '../src/core/backend';
import { runBrowserBench } from './browserBench';
import { runGpuBench } from './gpu/gpuBench';
import { oneOf, readArgs, USAGE_EXIT, UsageError } from '../scripts/lib/cli';
import { caseKey } from './lib/measure';
import { fullPlan, peerPlan, quickPlan } from './lib/plans';
import { buildAndServe, ROOT } from './lib/serve';
import { runSuite, type SuiteResult } from './lib/suite';
import { onNodeBackends } from './nodeBench';
import { PEERS } from './peers/allPeers';
import { runPeers, type PeerSuiteResult } from './peers/peerSuite';
import { runPageBench, type PageResult } from './pageBench';
import type { PresetTimingConfig } from './presetTiming';
import type { AttainableResult } from './lib/attainable';
import { runPytorchAttainable } from './pytorchAttainable';
import { runPytorch, type TorchResult } from './pytorchBench';
import { markdown } from './report';

/** The machine a bench ran on, and its load average (1/5/15 min) at the start and at the end. */
export interface BenchMachine {
  name: string;
  cpus: number;
  cpuModel: string;
  node: string;
  loadStart: number[];
  loadEnd: number[];
  chromium?: string;
}

export interface BenchResult {
  date: string;
  quick: boolean;
  machine: BenchMachine;
  node: SuiteResult[];
  browser: SuiteResult[];
  /** The lab against the peers, per backend (Node, then Chromium). */
  peers: PeerSuiteResult[];
  /** `attainable`: PyTorch's FLOP/s on the wasm plan's matmul and convs. */
  pytorch: { results: TorchResult[]; skipped?: string; attainable?: AttainableResult };
  page?: PageResult;
  failed: string[];
  seconds: number;
}

const PARTS = ['node', 'pytorch', 'browser', 'peers', 'page'] as const;
/** The peers race on the backends a user's run would get: the GPU ones and wasm (cpu is Node's fallback). */
const PEER_BROWSER_BACKENDS: BackendName[] = ['wasm', 'webgl', 'webgpu'];
const USAGE = `usage: npm run bench [-- --quick] [--only ${PARTS.join(',')}], or npm run bench -- --gpu [--allow-software]`;

function parseCommand(argv: string[]): { quick: boolean; only?: string[]; gpu: boolean; allowSoftware: boolean } {
  try {
    const { values } = readArgs(argv, {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      gpu: { type: 'boolean', default: false },
      'allow-software': { type: 'boolean', default: false },
    });
    if (values['allow-software'] && !values.gpu) throw new UsageError('--allow-software goes with --gpu');
    if (values.gpu && (values.quick || values.only)) throw new UsageError('--gpu takes no --quick or --only');
    return {
      quick: values.quick,
      only: values.only?.split(',').map((p) => oneOf('--only', p, PARTS)),
      gpu: values.gpu,
      allowSoftware: values['allow-software'],
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}\n${USAGE}`);
    process.exit(USAGE_EXIT);
  }
}

const { quick, only: onlyArg, gpu, allowSoftware } = parseCommand(process.argv.slice(2));
if (gpu) process.exit(await runGpuBench({ allowSoftware }, (line) => console.log(line)));
const only: readonly string[] = onlyArg ?? PARTS;
const want = (part: string) => only.includes(part);
const log = (line: string) => console.log(line);

const t0 = Date.now();
const plan = quick ? quickPlan : fullPlan;
const result: BenchResult = {
  date: new Date().toISOString().slice(0, 10),
  quick,
  machine: {
    name: os.hostname(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    node: process.version,
    loadStart: os.loadavg(),
    loadEnd: [],
  },
  node: [],
  browser: [],
  peers: [],
  pytorch: { results: [] },
  failed: [],
  seconds: 0,
};
log(
  `bench${quick ? ' --quick' : ''}: load average ${os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' / ')} on ${os.cpus().length} cores`,
);

if (want('node')) result.node = await onNodeBackends((b) => runSuite(plan(b), log), log);
if (want('pytorch')) {
  // The cases the lab measured in Node (all of them with --only pytorch).
  const measured = new Set(result.node.flatMap((s) => s.items.filter((i) => i.timing).map((i) => i.case)));
  const all = quick ? quickPlan('wasm').cases : [...fullPlan('wasm').cases];
  const cases = measured.size ? all.filter((c) => measured.has(caseKey(c))) : all;
  result.pytorch = runPytorch(cases, quick ? 3 : 5, log);
  if (result.pytorch.skipped) log(`pytorch: skipped (${result.pytorch.skipped})`);
  else result.pytorch.attainable = runPytorchAttainable(plan('wasm').attainable, log);
}
if (want('peers')) result.peers = await onNodeBackends((b) => runPeers(peerPlan(b, quick), PEERS, log), log);
if (want('browser') || want('peers') || want('page')) {
  const browser = await launchChromium();
  try {
    result.machine.chromium = browser.context.browser()?.version();
    if (want('browser') || want('peers')) {
      const served = await buildAndServe('bench/browser/index.html');
      try {
        if (want('browser')) {
          const b = await runBrowserBench(
            browser.context,
            served.url,
            BACKEND_NAMES,
            (backend) => ({ kind: 'suite', plan: plan(backend) }),
            log,
          );
          result.browser = b.results;
          result.failed.push(...b.failed);
        }
        if (want('peers')) {
          const b = await runBrowserBench(
            browser.context,
            served.url,
            PEER_BROWSER_BACKENDS,
            (backend) => ({ kind: 'peers', plan: peerPlan(backend, quick) }),
            log,
          );
          result.peers.push(...b.results);
          result.failed.push(...b.failed.map((f) => `peers ${f}`));
        }
      } finally {
        await served.close();
      }
    }
    if (want('page')) {
      try {
        // The default preset as a new user gets it ("auto", its three runs in one worker), then in a
        // worker each, then the GPU backends forced, cut short (here they are SwiftShader).
        const preset: PresetTimingConfig[] = quick
          ? [{ backend: 'auto', capMs: 300_000 }]
          : [
              { backend: 'auto', capMs: 700_000 },
              { backend: 'auto', workers: 3, capMs: 700_000 },
              { backend: 'webgl', capMs: 60_000 },
              { backend: 'webgpu', capMs: 60_000 },
            ];
        result.page = await runPageBench(
          browser.context,
          quick
            ? { watchMs: 5_000, firstPointCapMs: 60_000, concurrencyEpochs: 1, preset }
            : { watchMs: 30_000, firstPointCapMs: 180_000, concurrencyEpochs: 2, preset },
          log,
        );
      } catch (e) {
        result.failed.push(`page: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        log(`page: failed: ${result.failed.at(-1)}`);
      }
    }
  } finally {
    await browser.close();
  }
}

result.machine.loadEnd = os.loadavg();
result.seconds = (Date.now() - t0) / 1000;
const dir = path.join(ROOT, 'bench/results');
fs.mkdirSync(dir, { recursive: true });
const base = path.join(
  dir,
  `${result.date}-${result.machine.name}${quick ? '-quick' : ''}${onlyArg ? `-${only.join('-')}` : ''}`,
);
const md = markdown(result);
fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 1) + '\n');
fs.writeFileSync(`${base}.md`, md);
console.log('\n' + md);
console.log(`written ${path.relative(ROOT, base)}.json and .md`);
