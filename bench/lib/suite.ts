// One backend's share of the benchmark, platform-neutral: step times over the matrix (skipping, with
// the reason, what would take too long here), one profiled step, tensor memory over many steps, the
// PGD-10 evaluation time and the conv-gradient comparison. Runs in Node and in the bench worker.
import * as tf from '@tensorflow/tfjs';
import { createModel } from '../../src/core/model/createModel';
import { convGradientPlan, planLabel, type ConvGradientPlan } from '../../src/core/model/conv';
import { flopsPerExample } from '../../src/core/model/paramUtils';
import { Rng } from '../../src/core/rng';
import { measureAttainable, type AttainablePlan, type AttainableResult } from './attainable';
import {
  caseKey,
  idealRatio,
  convGradientError,
  memoryRun,
  pgdEvalMsPer1000,
  profileStep,
  round,
  timeMethod,
  withConvGradient,
  type MemorySample,
  type MethodKey,
  type ModelCase,
  type StepProfile,
  type Timing,
  type TimingOptions,
} from './measure';

export interface SuitePlan {
  /** Cases cheapest first. */
  cases: ModelCase[];
  /** A cheap case timed first (one SGD step) to estimate what the others would cost. */
  probe: ModelCase;
  /** The case of the profile, the conv-gradient comparison and the PGD evaluation. */
  detail: ModelCase;
  methods: MethodKey[];
  timing: TimingOptions;
  /** Skip a (case, method) whose estimated time (warm-up + minSteps steps) exceeds this. */
  itemCapMs: number;
  /** Skip everything after this much time on one backend. */
  backendCapMs: number;
  memorySteps: number;
  /** Time slice of each method's memory run (it stops early, with a last sample). */
  memoryBudgetMs: number;
  pgdEvalImages: number;
  /** Conv gradients to compare on the reference case (SGD and AT-PGD-1 steps). */
  convGradients: ConvGradientPlan[];
  attainable: AttainablePlan;
}

export interface TimedItem {
  case: string;
  method: MethodKey;
  timing?: Timing;
  skipped?: string;
}

export interface ConvGradientResult {
  /** The plan, as planLabel() writes it. */
  mode: string;
  sgdMs?: number;
  atPgd1Ms?: number;
  /** Largest relative error of dX and dW against the float64 definition, on this backend. */
  maxRelError?: number;
  error?: string;
}

export interface SuiteResult {
  backend: string;
  /** The conv-gradient plan a user's run gets on this backend. */
  convGradient: string;
  items: TimedItem[];
  profile?: { case: string; method: MethodKey; sgd: StepProfile; sam?: StepProfile; atPgd1?: StepProfile };
  memory: Partial<Record<MethodKey, MemorySample[]>>;
  pgdEvalMsPer1000?: number;
  convGradients: ConvGradientResult[];
  attainable?: AttainableResult;
  seconds: number;
}

const flopsCache = new Map<string, number>();

/** Forward FLOPs of one example of the case's model (built once, on the current backend). */
export function forwardFlops(c: ModelCase): number {
  const key = `${c.model}-w${c.width}`;
  const known = flopsCache.get(key);
  if (known !== undefined) return known;
  const m = createModel(
    { name: c.model, width: c.width, depth: 1 },
    { shape: [32, 32, 3], numClasses: 10, mean: [0.5, 0.5, 0.5], std: [0.29, 0.29, 0.29] },
    new Rng(1),
  );
  try {
    flopsCache.set(key, flopsPerExample(m));
    return flopsPerExample(m);
  } finally {
    m.dispose();
  }
}

export async function runSuite(plan: SuitePlan, log: (line: string) => void): Promise<SuiteResult> {
  const t0 = performance.now();
  const backend = tf.getBackend();
  const out: SuiteResult = {
    backend,
    convGradient: planLabel(convGradientPlan()),
    items: [],
    memory: {},
    convGradients: [],
    seconds: 0,
  };
  // Milliseconds per (forward FLOP x example x ideal ratio): the best seen so far, from the probe
  // and every measured item (small models and SGD pay more overhead per FLOP, so this is the
  // estimate that does not skip what would fit).
  const probe = await timeMethod(plan.probe, 'sgd', { warmup: 1, steps: 1, minSteps: 1, budgetMs: 0 });
  let msPerUnit = probe.medianMs / (probe.forwardFlops * plan.probe.batch);
  const estimate = (c: ModelCase, m: MethodKey, passes: number) =>
    msPerUnit * forwardFlops(c) * c.batch * idealRatio(m) * passes;
  const ref = plan.detail;
  const left = () => plan.backendCapMs - (performance.now() - t0);
  const fits = (what: string, ms: number) => {
    if (ms <= left()) return true;
    log(
      `  ${backend} ${what}: skipped (estimated ${(ms / 1000).toFixed(0)} s, ${(Math.max(0, left()) / 1000).toFixed(0)} s left of the backend's ${plan.backendCapMs / 1000} s)`,
    );
    return false;
  };
  // One step of the detail case itself: the probe over-estimates larger models.
  if (caseKey(ref) !== caseKey(plan.probe) && fits('calibration', estimate(ref, 'sgd', 2))) {
    const t = await timeMethod(ref, 'sgd', { warmup: 1, steps: 1, minSteps: 1, budgetMs: 0 });
    msPerUnit = Math.min(msPerUnit, t.medianMs / (t.forwardFlops * ref.batch));
  }
  // A few seconds, first: the steps' GFLOP/s are read against it.
  out.attainable = await measureAttainable(plan.attainable);
  log(
    `  ${backend} attainable: ${[out.attainable.matmul, ...out.attainable.convs].map((o) => `${o.op} ${o.gflops} GFLOP/s`).join(', ')}`,
  );
  // SAM and AT-PGD-1 beside SGD: what they add over one SGD pass shows kernel by kernel.
  if (fits('profile', estimate(ref, 'sgd', 2) + estimate(ref, 'sam', 2) + estimate(ref, 'at-pgd1', 2))) {
    const profiled: NonNullable<SuiteResult['profile']> = {
      case: caseKey(ref),
      method: 'sgd',
      sgd: await profileStep(ref, 'sgd'),
    };
    profiled.sam = await profileStep(ref, 'sam');
    profiled.atPgd1 = await profileStep(ref, 'at-pgd1');
    out.profile = profiled;
    log(
      `  ${backend} profile: ${profiled.sgd.kernels
        .slice(0, 4)
        .map((k) => `${k.name} ${k.ms} ms`)
        .join(', ')}`,
    );
  }
  // PGD-10 evaluation: 11 forward-backward passes per image, the cost of an AT-PGD-10 step.
  if (fits('PGD-10 evaluation', estimate(ref, 'at-pgd10', plan.pgdEvalImages / ref.batch + 1))) {
    out.pgdEvalMsPer1000 = await pgdEvalMsPer1000(ref, plan.pgdEvalImages);
    log(`  ${backend} PGD-10 evaluation: ${out.pgdEvalMsPer1000} ms per 1,000 images`);
  }
  const short: TimingOptions = { warmup: 1, steps: plan.timing.minSteps, minSteps: plan.timing.minSteps, budgetMs: 0 };
  for (const cg of plan.convGradients) {
    const mode = planLabel(cg);
    if (
      !fits(
        `conv gradient ${mode}`,
        (estimate(ref, 'sgd', 1) + estimate(ref, 'at-pgd1', 1)) * (1 + plan.timing.minSteps),
      )
    )
      continue;
    const r: ConvGradientResult = { mode };
    try {
      await withConvGradient(cg, async () => {
        r.maxRelError = await convGradientError();
        r.sgdMs = (await timeMethod(ref, 'sgd', short)).medianMs;
        r.atPgd1Ms = (await timeMethod(ref, 'at-pgd1', short)).medianMs;
      });
    } catch (e) {
      r.error = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160);
    }
    out.convGradients.push(r);
    log(
      `  ${backend} conv gradient ${mode}: ${r.error ?? `SGD ${r.sgdMs} ms, AT-PGD-1 ${r.atPgd1Ms} ms, max rel. error ${r.maxRelError?.toExponential(1)}`}`,
    );
  }
  // The matrix last: it takes whatever time the details left.
  for (const c of plan.cases) {
    for (const m of plan.methods) {
      const item: TimedItem = { case: caseKey(c), method: m };
      out.items.push(item);
      const spent = performance.now() - t0;
      // A method other than SGD is timed in pairs with SGD steps (Timing.pairedRatio).
      const est =
        (estimate(c, m, 1) + (m === 'sgd' ? 0 : estimate(c, 'sgd', 1))) * (plan.timing.warmup + plan.timing.minSteps);
      if (spent > plan.backendCapMs) item.skipped = `backend time cap ${plan.backendCapMs / 1000} s reached`;
      else if (est > plan.itemCapMs)
        item.skipped = `estimated ${(est / 1000).toFixed(0)} s > cap ${plan.itemCapMs / 1000} s`;
      else if (est > plan.backendCapMs - spent)
        item.skipped = `estimated ${(est / 1000).toFixed(0)} s > the ${((plan.backendCapMs - spent) / 1000).toFixed(0)} s left of the backend cap`;
      if (item.skipped) {
        log(`  ${backend} ${item.case} ${m}: skipped (${item.skipped})`);
        continue;
      }
      try {
        item.timing = await timeMethod(c, m, { ...plan.timing, paired: true });
        msPerUnit = Math.min(msPerUnit, item.timing.medianMs / (item.timing.forwardFlops * c.batch * idealRatio(m)));
        log(
          `  ${backend} ${item.case} ${m}: median ${item.timing.medianMs} ms (${item.timing.minMs}-${item.timing.maxMs}, ${item.timing.steps} steps)${item.timing.pairedRatio ? `, ${item.timing.pairedRatio} x its paired SGD step` : ''}`,
        );
      } catch (e) {
        item.skipped = `failed: ${e instanceof Error ? e.message : String(e)}`;
        log(`  ${backend} ${item.case} ${m}: ${item.skipped}`);
      }
    }
  }
  // The tiny model's steps are overhead, not FLOPs: a fixed time slice per method, outside the cap
  // (a leak must show on the slow GPU emulations too).
  for (const m of ['sgd', 'sam', 'at-pgd1'] as const)
    out.memory[m] = await memoryRun(m, plan.memorySteps, plan.memoryBudgetMs);
  log(
    `  ${backend} memory: ${Object.entries(out.memory)
      .map(([m, s]) => `${m} ${s[0].numTensors}->${s.at(-1)!.numTensors} tensors after ${s.at(-1)!.step} steps`)
      .join(', ')}`,
  );
  out.seconds = round((performance.now() - t0) / 1000, 1);
  return out;
}
