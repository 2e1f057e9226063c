// The race against the peers on one backend, platform-neutral (Node and the bench worker): for each
// case, method and peer, the lab's Trainer.step() and the peer's step taken in turn (lab, then peer),
// so that a change in the machine's load moves both; lab/peer is the median over those pairs.
// What would not fit the backend's time is skipped with the reason, as in suite.ts.
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../../src/core/model/createModel';
import { Rng } from '../../src/core/rng';
import { createTrainer } from '../../src/core/train/trainer';
import {
  benchData,
  benchSpec,
  caseKey,
  idealRatio,
  pairedRatio,
  round,
  spread,
  timeInTurn,
  timeMethod,
  type ModelCase,
  type Spread,
  type Stepper,
  type TimingOptions,
} from '../lib/measure';
import { forwardFlops } from '../lib/suite';
import type { Peer, PeerMethod } from './peer';

/** A peer, and where it can say so, its model's trainable parameter count at a width (to check it is the lab's model). */
export type RacedPeer = Peer & { paramCount?(width: number): number };

export interface PeerPlan {
  /** preact-resnet10 cases, cheapest first. */
  cases: ModelCase[];
  /** A cheap case whose one lab SGD step estimates what the others would cost. */
  probe: ModelCase;
  methods: PeerMethod[];
  timing: TimingOptions;
  /** Skip an item whose estimated time (warm-up + minSteps pairs) exceeds this ... */
  itemCapMs: number;
  /** ... or what is left of this, the time of all the backend's items (after the probe). */
  backendCapMs: number;
}

export interface PeerItem {
  case: string;
  peer: string;
  method: PeerMethod;
  lab?: Spread;
  other?: Spread;
  /** Median over pairs of (lab step / the peer step just after it): above 1 the lab is slower. */
  ratio?: number;
  /** Tensors left behind by the measured steps (after the warm-up), lab and peer: 0 when each disposes everything. */
  tensorGrowth?: { lab: number; peer: number };
  skipped?: string;
}

type MeasuredItem = PeerItem & Required<Pick<PeerItem, 'lab' | 'other' | 'ratio' | 'tensorGrowth'>>;

export interface ParamCount {
  width: number;
  lab: number;
  /** Per peer name, where the peer reports it. */
  peers: Record<string, number>;
}

export interface PeerSuiteResult {
  backend: string;
  params: ParamCount[];
  items: PeerItem[];
  seconds: number;
}

/** A stepper that records how many tensors each of its steps leaves behind. */
function counted(s: Stepper): Stepper & { growth: number[] } {
  const growth: number[] = [];
  return {
    growth,
    async step() {
      const before = tf.memory().numTensors;
      await s.step();
      growth.push(tf.memory().numTensors - before);
    },
  };
}

function labParamCount(width: number): number {
  const m = createModel(
    { name: 'preact-resnet10', width, depth: 1 },
    { shape: [32, 32, 3], numClasses: 10, mean: [0.5, 0.5, 0.5], std: [0.29, 0.29, 0.29] },
    new Rng(1),
  );
  try {
    return m.params.reduce((s, p) => s + p.variable.size, 0);
  } finally {
    m.dispose();
  }
}

function checkParams(width: number, peers: RacedPeer[], log: (line: string) => void): ParamCount {
  const out: ParamCount = { width, lab: labParamCount(width), peers: {} };
  for (const p of peers) if (p.paramCount) out.peers[p.name] = p.paramCount(width);
  const differ = Object.entries(out.peers).filter(([, n]) => n !== out.lab);
  log(
    `  ${tf.getBackend()} parameters at width ${width}: lab ${out.lab}${Object.entries(out.peers)
      .map(([name, n]) => `, ${name} ${n}`)
      .join('')}${differ.length ? ` — DIFFER: ${differ.map(([name]) => name).join(', ')} is not the lab's model` : ''}`,
  );
  return out;
}

/** One measured item in a line; flags a lab slower than the peer and tensors left behind. */
function describe(i: MeasuredItem): string {
  const leaks = Object.entries(i.tensorGrowth).filter(([, n]) => n !== 0);
  return [
    `lab ${i.lab.medianMs} ms (${i.lab.minMs}-${i.lab.maxMs}), peer ${i.other.medianMs} ms (${i.other.minMs}-${i.other.maxMs}) over ${i.lab.steps} pairs, lab/peer ${i.ratio}`,
    ...(i.ratio > 1 ? ['LAB SLOWER'] : []),
    ...(leaks.length
      ? [`WARNING: tensors grew over the measured steps (${leaks.map(([who, n]) => `${who} +${n}`).join(', ')})`]
      : []),
  ].join(' — ');
}

/** Lab against each peer, in pairs, for one backend (the one tfjs has now). */
export async function runPeers(
  plan: PeerPlan,
  peers: RacedPeer[],
  log: (line: string) => void,
): Promise<PeerSuiteResult> {
  const t0 = performance.now();
  const backend = tf.getBackend();
  const out: PeerSuiteResult = { backend, params: [], items: [], seconds: 0 };
  for (const width of new Set(plan.cases.map((c) => c.width))) out.params.push(checkParams(width, peers, log));
  // The lab's ms per (forward FLOP x example x ideal ratio), the best seen, and each peer's own
  // (the lab's until measured): the estimate of an item before it runs. A peer's own rate, not its
  // ratio to the lab, carries to larger cases: jax-js was 11x the lab at width 4 and 37x at width 16.
  const probe = await timeMethod(plan.probe, 'sgd', { warmup: 1, steps: 1, minSteps: 1, budgetMs: 0 });
  let msPerUnit = probe.medianMs / (probe.forwardFlops * plan.probe.batch);
  // The cap counts the items' time, not the probe's (its first step compiles the lab's shaders).
  const itemsStart = performance.now();
  const peerMsPerUnit = new Map<string, number>();
  const pairs = plan.timing.warmup + plan.timing.minSteps;
  for (const c of plan.cases) {
    for (const m of plan.methods) {
      for (const peer of peers) {
        const item: PeerItem = { case: caseKey(c), peer: peer.name, method: m };
        out.items.push(item);
        const units = forwardFlops(c) * c.batch * idealRatio(m);
        const est = (msPerUnit + (peerMsPerUnit.get(peer.name) ?? msPerUnit)) * units * pairs;
        const left = plan.backendCapMs - (performance.now() - itemsStart);
        const stepper = await peer.create({ width: c.width, batch: c.batch, seed: 1 }, m, backend);
        try {
          if (typeof stepper === 'string') item.skipped = stepper;
          else if (est > plan.itemCapMs)
            item.skipped = `estimated ${(est / 1000).toFixed(0)} s > cap ${plan.itemCapMs / 1000} s`;
          else if (est > left)
            item.skipped = `estimated ${(est / 1000).toFixed(0)} s > the ${(Math.max(0, left) / 1000).toFixed(0)} s left of the backend cap`;
          if (typeof stepper === 'string' || item.skipped) {
            log(`  ${backend} ${item.case} ${m} ${peer.name}: skipped (${item.skipped})`);
            continue;
          }
          const trainer = createTrainer(benchSpec(c, m), m, benchData(c.batch));
          const lab = counted(trainer);
          const other = counted(stepper);
          let times: number[][];
          try {
            times = await timeInTurn([lab, other], plan.timing);
          } finally {
            trainer.dispose();
          }
          const measured = (v: number[]) => v.slice(plan.timing.warmup).reduce((a, b) => a + b, 0);
          const [labMs, peerMs] = times.map(spread);
          const done: MeasuredItem = Object.assign(item, {
            lab: labMs,
            other: peerMs,
            ratio: pairedRatio(times[0], times[1]),
            tensorGrowth: { lab: measured(lab.growth), peer: measured(other.growth) },
          });
          msPerUnit = Math.min(msPerUnit, labMs.medianMs / units);
          peerMsPerUnit.set(peer.name, Math.min(peerMsPerUnit.get(peer.name) ?? Infinity, peerMs.medianMs / units));
          log(`  ${backend} ${item.case} ${m} ${peer.name}: ${describe(done)}`);
        } catch (e) {
          item.skipped = `failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160)}`;
          log(`  ${backend} ${item.case} ${m} ${peer.name}: ${item.skipped}`);
        } finally {
          if (typeof stepper !== 'string') stepper.dispose();
        }
      }
    }
  }
  out.seconds = round((performance.now() - t0) / 1000, 1);
  return out;
}
