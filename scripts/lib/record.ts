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
import type { ExperimentSpec } from '../../src/core/spec';
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
  return [...recordingSpecs()].filter(([, spec]) => CATALOG[spec.dataset.name].origin !== 'files').map(([source]) => source);
}

/** Trains `spec` on wasm (the caller has started it) and returns its recording. */
export async function record(source: string, spec: ExperimentSpec, recordedOn: string): Promise<Recording> {
  const losses: Record<string, number[]> = {};
  const landscapes: Record<string, LandscapeResult[]> = {};
  const data = spec.landscape.when === 'end' ? await loadSplit(spec) : undefined;
  const results = await trainAll(spec, 'wasm', {
    onStep: (runId, r) => (losses[runId] ??= []).push(r.loss),
    afterRun: async (trainer, result) => {
      if (!data || result.status !== 'done') return;
      process.stderr.write(`${trainer.run.id}: landscapes\n`);
      landscapes[trainer.run.id] = await computeLandscape(trainer.model, data, spec, { kinds: LANDSCAPE_KINDS, rho: sharpnessRho(trainer.run) });
    },
  });
  return { recording: { format: RECORDING_FORMAT, source, recordedOn, command: RECORD_COMMAND }, results, losses, landscapes };
}

/** A copy with every non-integer cut to 5 significant digits: a recording is a picture, not a checkpoint. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? Number(v.toPrecision(5)) : v))) as T;
}

/** The recording's JSON: measured numbers rounded, the spec exact (its eps are the attack keys). */
export function recordingToJson(r: Recording): string {
  const results = { ...r.results, runs: rounded(r.results.runs) };
  return `${JSON.stringify({ ...r, results, losses: rounded(r.losses), landscapes: rounded(r.landscapes) })}\n`;
}
