// Records lesson steps and presets for the classroom (src/core/recording.ts): trains the spec on
// wasm from its own seed, keeps every step's training loss and, where the spec asks for them at the
// end, the landscapes the page would compute, and writes one small JSON file per recording.
import { lessonSteps } from '../../src/core/lesson';
import { computeLandscape } from '../../src/core/landscape/computeLandscape';
import { LANDSCAPE_KINDS, sharpnessRho } from '../../src/core/landscape/request';
import type { LandscapeResult } from '../../src/core/landscape/results';
import { CATALOG } from '../../src/core/data/catalog';
import { PRESETS } from '../../src/core/presets';
import { RECORDING_FORMAT, type Recording } from '../../src/core/recording';
import type { ExperimentSpec, RunSpec } from '../../src/core/spec';
import type { RunResult } from '../../src/core/train/results';
import { loadSplit } from './loadSplit';
import { trainAll } from './trainAll';

export const RECORD_COMMAND = 'npm run record';

/** Every recordable source: the lesson's steps (generated shapes) and the presets. */
export function recordingSpecs(): Map<string, ExperimentSpec> {
  const out = new Map<string, ExperimentSpec>();
  for (const s of lessonSteps()) out.set(`lesson:${s.id}`, s.spec);
  for (const p of PRESETS) out.set(`preset:${p.id}`, p.spec);
  return out;
}

/** The sources `npm run record` makes: those whose data is generated from the seed (no download, and minutes of CPU). */
export function defaultSources(): string[] {
  return [...recordingSpecs()]
    .filter(([, spec]) => CATALOG[spec.dataset.name].origin !== 'files')
    .map(([source]) => source);
}

/** One trained run, kept for other sources of the same invocation. */
interface TrainedRun {
  result: RunResult;
  losses?: number[];
  landscapes?: LandscapeResult[];
}

/**
 * A run's outcome depends on the experiment (seed, data, model, training, evaluation, landscape)
 * and the run's own settings, not on its id or on the other runs (trainer.ts: every run starts
 * from the seed's weights, batches and evaluation subset): runs with equal keys are trained once.
 */
export type RunCache = Map<string, TrainedRun>;

const runKey = (spec: ExperimentSpec, run: RunSpec) =>
  JSON.stringify([
    { ...spec, runs: [] },
    { ...run, id: '', label: undefined },
  ]);

/** Trains `spec` on wasm (the caller has started it), reusing the runs `cache` holds, and returns its recording. */
export async function record(
  source: string,
  spec: ExperimentSpec,
  recordedOn: string,
  cache: RunCache = new Map(),
): Promise<Recording> {
  const todo = spec.runs.filter((r) => !cache.has(runKey(spec, r)));
  if (todo.length > 0) {
    const data = spec.landscape.when === 'end' ? await loadSplit(spec) : undefined;
    const stepLosses = new Map<string, number[]>();
    const slices = new Map<string, LandscapeResult[]>();
    const results = await trainAll({ ...spec, runs: todo }, 'wasm', {
      onStep: (runId, r) => stepLosses.set(runId, [...(stepLosses.get(runId) ?? []), r.loss]),
      afterRun: async (trainer, result) => {
        if (!data || result.status !== 'done') return;
        process.stderr.write(`${trainer.run.id}: landscapes\n`);
        slices.set(
          trainer.run.id,
          await computeLandscape(trainer.model, data, spec, { kinds: LANDSCAPE_KINDS, rho: sharpnessRho(trainer.run) }),
        );
      },
    });
    for (const r of results.runs)
      cache.set(
        runKey(
          spec,
          todo.find((x) => x.id === r.id)!,
        ),
        { result: r, losses: stepLosses.get(r.id), landscapes: slices.get(r.id) },
      );
  }
  const losses: Record<string, number[]> = {};
  const landscapes: Record<string, LandscapeResult[]> = {};
  const runs = spec.runs.map((run) => {
    const t = cache.get(runKey(spec, run))!;
    if (t.losses) losses[run.id] = t.losses;
    if (t.landscapes) landscapes[run.id] = t.landscapes;
    return { ...t.result, id: run.id };
  });
  return {
    recording: { format: RECORDING_FORMAT, source, recordedOn, command: RECORD_COMMAND },
    results: { spec, backend: 'wasm', runs },
    losses,
    landscapes,
  };
}

/** A copy with every non-integer cut to 5 significant digits: a recording is a picture, not a checkpoint. */
function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? Number(v.toPrecision(5)) : v,
    ),
  ) as T;
}

/** The recording's JSON: measured numbers rounded, the spec exact (its eps are the attack keys). */
export function recordingToJson(r: Recording): string {
  const results = { ...r.results, runs: rounded(r.results.runs) };
  return `${JSON.stringify({ ...r, results, losses: rounded(r.losses), landscapes: rounded(r.landscapes) })}\n`;
}
