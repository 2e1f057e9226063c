// Trains every run of a spec in Node, one after another on one loaded split, with a progress bar per run.
import type { BackendName } from '../../src/core/backend';
import type { ExperimentSpec } from '../../src/core/spec';
import type { Results, RunResult } from '../../src/core/train/results';
import { createTrainer, runTrainer, type StepRecord, type Trainer } from '../../src/core/train/trainer';
import { computeLandscape } from '../../src/core/landscape/computeLandscape';
import { dualityPoint, meanOver, type DualityPoint } from '../../src/core/duality/dualityPoint';
import type { DualityResult } from '../../src/core/landscape/results';
import type { DatasetSplit } from '../../src/core/data/dataset';
import type { HistoryPoint } from '../../src/core/train/results';
import { loadSplit } from './loadSplit';
import { progressBar } from './progress';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** What a caller may add to each run: every step's record, and work on the trained model before it is disposed. */
export interface TrainHooks {
  onStep?(runId: string, record: StepRecord): void;
  afterRun?(trainer: Trainer, result: RunResult): Promise<void>;
}

export async function trainAll(spec: ExperimentSpec, backend: BackendName, hooks: TrainHooks = {}): Promise<Results> {
  const data = await loadSplit(spec);
  process.stderr.write(
    `${spec.dataset.name}: ${data.note ?? `${data.train.n} / ${data.test.n}`}; ${spec.model.name} on ${backend}\n`,
  );
  const runs: RunResult[] = [];
  for (const run of spec.runs) {
    let result: RunResult;
    try {
      const trainer = createTrainer(spec, run.id, data);
      const bar = progressBar(run.id.padEnd(8), trainer.totalSteps);
      let lastEval = '';
      // The duality view after each evaluation, as the page's worker computes it (between steps).
      const duality: DualityPoint[] = [];
      let pending: HistoryPoint | undefined;
      const measure = async () => {
        if (pending && trainer.model.inputConv) duality.push(await dualityAt(trainer, data, pending));
        pending = undefined;
      };
      try {
        result = await runTrainer(trainer, {
          onStep: (r) => {
            hooks.onStep?.(run.id, r);
            bar.update(r.step, `step ${r.step}/${trainer.totalSteps} loss ${r.loss.toFixed(4)} ${lastEval}`);
          },
          onEval: (p) => {
            lastEval = `clean ${pct(p.cleanAcc)}${Object.entries(p.robust)
              .map(([k, v]) => ` ${k} ${pct(v)}`)
              .join('')}`;
            pending = p;
          },
          checkpoint: async () => (await measure(), 'go'),
        });
        if (result.status === 'done') await measure();
        if (duality.length > 0) result = { ...result, duality };
        const d = duality.at(-1);
        if (d)
          lastEval += ` | duality: residual ${meanOver(d.images, 'relResidual').toFixed(3)}, cos(d, delta) ${meanOver(d.images, 'cos').toFixed(3)}, |d|_2 ${meanOver(d.images, 'dL2').toFixed(3)}/255`;
        await hooks.afterRun?.(trainer, result);
      } finally {
        trainer.dispose();
      }
      bar.finish(
        `${result.status}, ${result.msPerStep.toFixed(1)} ms/step ${lastEval}${result.error ? `: ${result.error}` : ''}`,
      );
    } catch (e) {
      result = {
        id: run.id,
        method: run.method,
        status: 'error',
        history: [],
        msPerStep: 0,
        error: (e as Error).message,
      };
      process.stderr.write(`${run.id}: error: ${result.error}\n`);
    }
    runs.push(result);
  }
  return { spec, backend, runs };
}

async function dualityAt(trainer: Trainer, data: DatasetSplit, p: HistoryPoint): Promise<DualityPoint> {
  const [r] = (await computeLandscape(
    trainer.model,
    data,
    trainer.spec,
    { kinds: ['duality'] },
    undefined,
    undefined,
    trainer.run,
  )) as DualityResult[];
  return dualityPoint(r, p.step, p.epoch);
}
