// Checks across seeds that a preset shows what its text says: trains the preset's runs for each
// seed (paired: same seed => same init, batches and evaluation subset for every run) and prints
// the final clean and robust accuracies and each run's gap to the SGD run of the same seed.
//
//   npm run check-preset -- <preset id | lesson:<step id>[:cifar10]> [--seeds 1,2,3] [--epochs N] [--eval-every E] [--out file.json]
//
// --eval-every E evaluates every E epochs instead of the preset's rate: the final numbers do not
// change (evaluation draws from its own seeded streams and never touches the weights), and a
// preset that attacks 1,000 images after every epoch spends most of its time evaluating.
// A lesson step (src/core/lesson.ts) is checked like a preset: on generated shapes, or with
// ':cifar10' on the lesson's CIFAR-10 variant (offered in the classroom once a claim checked this way is stated in lesson.ts).
// --hessian measures each final model's sharpness as the page's "sharpness" landscape does (same
// batch, same Lanczos settings) and prints whether the top Hessian eigenvalue converged.
import { writeFileSync } from 'node:fs';
import { computeLandscape, sharpnessRho } from '../src/core/landscape/computeLandscape';
import type { SharpnessResult } from '../src/core/landscape/results';
import { lessonSteps } from '../src/core/lesson';
import { PRESETS } from '../src/core/presets';
import type { ExperimentSpec } from '../src/core/spec';
import { attackChecks } from '../src/core/train/attackChecks';
import type { HistoryPoint, Results } from '../src/core/train/results';
import { readArgs, runCommand, UsageError, wholeNumber, wholeNumbers } from './lib/cli';
import { useBackend } from './lib/nodeBackend';
import { loadSplit } from './lib/loadSplit';
import { trainAll } from './lib/trainAll';

const last = (h: HistoryPoint[]) => h[h.length - 1];
const pct = (v: number) => (100 * v).toFixed(1).padStart(5);

/** The experiment a preset id or `lesson:<step>[:cifar10]` names. */
function findSpec(name: string): { id: string; spec: ExperimentSpec } | undefined {
  const [kind, stepId, dataset] = name.split(':');
  if (kind === 'lesson') {
    const step = lessonSteps(dataset === 'cifar10' ? 'cifar10' : 'shapes').find((s) => s.id === stepId);
    return step && { id: name, spec: step.spec };
  }
  return PRESETS.find((p) => p.id === name);
}

const usage = () => {
  const lessons = lessonSteps().map((s) => `lesson:${s.id}[:cifar10]`);
  return `usage: npm run check-preset -- <${[...PRESETS.map((p) => p.id), ...lessons].join('|')}> [--seeds 1,2,3] [--epochs N] [--eval-every E] [--hessian] [--out file]`;
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs(
    argv,
    {
      seeds: { type: 'string', default: '1,2,3' },
      epochs: { type: 'string' },
      'eval-every': { type: 'string' },
      out: { type: 'string' },
      hessian: { type: 'boolean', default: false },
    },
    true,
  );
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0 ? 'which preset?' : `one preset at a time, got ${positionals.join(' ')}`,
    );
  const preset = findSpec(positionals[0]);
  if (!preset) throw new UsageError(`no preset or lesson step "${positionals[0]}"`);
  const seeds = wholeNumbers('--seeds', values.seeds);
  const epochs = values.epochs === undefined ? undefined : wholeNumber('--epochs', values.epochs);
  const every = values['eval-every'] === undefined ? undefined : wholeNumber('--eval-every', values['eval-every']);
  await useBackend('wasm');
  const all: Results[] = [];
  const sharpness: string[] = [];
  for (const seed of seeds) {
    const spec = structuredClone(preset.spec);
    spec.seed = seed;
    if (epochs !== undefined) spec.train.epochs = epochs;
    if (every !== undefined) spec.eval.every = every;
    const data = values.hessian ? await loadSplit(spec) : undefined;
    all.push(
      await trainAll(spec, 'wasm', {
        afterRun: async (trainer) => {
          if (!data) return;
          const [s] = (await computeLandscape(trainer.model, data, spec, {
            kinds: ['sharpness'],
            rho: sharpnessRho(trainer.run),
          })) as SharpnessResult[];
          sharpness.push(
            `${trainer.run.id.padEnd(10)} ${String(seed).padStart(5)}  top eigenvalue ${s.hessianTop.toPrecision(4)} ± ${(s.hessianResidual ?? NaN).toPrecision(2)} after ${s.iterations} iterations, relative change ${s.relChange.toExponential(1)} (tolerance ${s.tolerance}): ${s.converged ? 'converged' : 'NOT converged'}; SAM sharpness ${s.samSharpness.toPrecision(3)} at rho ${s.rho}`,
          );
        },
      }),
    );
  }
  const keys = Object.keys(last(all[0].runs[0].history).robust);
  const lines = [
    `preset ${preset.id}: final accuracy in %, and the gap to SGD of the same seed`,
    `run        seed  clean ${keys.map((k) => k.padStart(24)).join('')}`,
  ];
  for (const results of all) {
    const base = results.runs.find((r) => r.method === 'sgd');
    for (const run of results.runs) {
      const p = last(run.history);
      const b = base ? last(base.history) : undefined;
      const gap = (v: number, w: number | undefined) =>
        w === undefined || run === base ? '' : ` (${v - w >= 0 ? '+' : ''}${(100 * (v - w)).toFixed(1)})`;
      lines.push(
        `${run.id.padEnd(10)} ${String(results.spec.seed).padStart(5)} ${pct(p.cleanAcc)}${gap(p.cleanAcc, b?.cleanAcc)}${keys.map((k) => `${pct(p.robust[k])}${gap(p.robust[k], b?.robust[k])}`.padStart(24)).join('')}  ${run.status}`,
      );
    }
  }
  // The attack checks of each run's final evaluation (the page's panel).
  lines.push('attack checks (final evaluation): ✓ pass, ✗ fail, · not measured');
  for (const results of all) {
    for (const run of results.runs) {
      const checks = attackChecks(results.spec.eval.attacks, last(run.history), results.spec.eval.subsetSize);
      lines.push(
        `${run.id.padEnd(10)} ${String(results.spec.seed).padStart(5)}  ${checks.map((c) => `${c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '·'} ${c.id} ${c.value}`).join(' | ')}`,
      );
    }
  }
  if (sharpness.length > 0) lines.push("sharpness of the final models (the page's sharpness landscape):", ...sharpness);
  process.stdout.write(`${lines.join('\n')}\n`);
  const out = values.out;
  if (out) writeFileSync(out, `${JSON.stringify({ preset: preset.id, table: lines, results: all }, null, 1)}\n`);
  return 0;
}

runCommand('check-preset', usage(), () => main(process.argv.slice(2)));
