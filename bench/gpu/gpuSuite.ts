// The GPU bench's share in the bench worker: SGD's step time on one case, a tf.profile of one SGD
// step, then the other methods' step times, each skipped (with the reason) when its estimate from
// the SGD step would pass the cap. Leaner than the full suite (bench/lib/suite.ts): a software
// adapter must get through it too.
import { convGradientPlan, planLabel } from '../../src/core/model/conv';
import {
  caseKey,
  idealRatio,
  profileStep,
  timeMethod,
  type MethodKey,
  type ModelCase,
  type StepProfile,
  type TimingOptions,
} from '../lib/measure';
import type { TimedItem } from '../lib/suite';

export interface GpuSuitePlan {
  case: ModelCase;
  /** In the report's order; SGD is timed first whatever its place. */
  methods: MethodKey[];
  timing: TimingOptions;
  capMs: number;
}

export interface GpuSuiteResult {
  /** The conv-gradient plan of the backend, as planLabel() writes it. */
  convGradient: string;
  items: TimedItem[];
  /** One SGD step, kernel times summed per kernel name. */
  profile?: StepProfile;
  seconds: number;
}

export async function runGpuSuite(plan: GpuSuitePlan, log: (line: string) => void): Promise<GpuSuiteResult> {
  const t0 = performance.now();
  const c = plan.case;
  const left = () => plan.capMs - (performance.now() - t0);
  const out: GpuSuiteResult = { convGradient: planLabel(convGradientPlan()), items: [], seconds: 0 };
  const tooLong = (estMs: number) =>
    estMs > left()
      ? `estimated ${(estMs / 1000).toFixed(0)} s > the ${(Math.max(0, left()) / 1000).toFixed(0)} s left of the ${(plan.capMs / 1000).toFixed(0)} s cap`
      : undefined;
  let sgdMs: number | undefined;
  const time = async (m: MethodKey) => {
    const item: TimedItem = { case: caseKey(c), method: m };
    out.items.push(item);
    item.skipped =
      sgdMs === undefined ? undefined : tooLong(sgdMs * idealRatio(m) * (plan.timing.warmup + plan.timing.minSteps));
    if (!item.skipped) {
      try {
        item.timing = await timeMethod(c, m, plan.timing);
        if (m === 'sgd') sgdMs = item.timing.medianMs;
      } catch (e) {
        item.skipped = `failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
      }
    }
    const t = item.timing;
    log(
      `  webgpu ${item.case} ${m}: ${t ? `median ${t.medianMs} ms (${t.minMs}-${t.maxMs}, ${t.steps} steps)` : `skipped (${item.skipped})`}`,
    );
  };
  // SGD first: its step, times a method's passes, estimates the others. Then the profile (two SGD
  // steps), so that a slow adapter spends the cap on it before AT-PGD-5.
  await time('sgd');
  const skipProfile = sgdMs === undefined ? 'no SGD step time' : tooLong(2 * sgdMs);
  if (skipProfile) log(`  webgpu profile: skipped (${skipProfile})`);
  else {
    out.profile = await profileStep(c, 'sgd');
    log(
      `  webgpu profile: ${out.profile.kernels
        .slice(0, 4)
        .map((k) => `${k.name} ${k.ms} ms`)
        .join(', ')}`,
    );
  }
  for (const m of plan.methods) if (m !== 'sgd') await time(m);
  out.seconds = Math.round((performance.now() - t0) / 100) / 10;
  return out;
}
