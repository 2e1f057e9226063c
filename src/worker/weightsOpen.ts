// Answers an open-weights request: an ended run's model takes the weights of a .safetensors file
// (core/export/pytorchWeightsImport.ts checks every tensor first; a bad file changes nothing) and is
// evaluated as the run's final evaluation is (the fixed subset, PGD-k of every attack of the spec).
// Landscapes and sharpness asked afterwards measure these weights.
import type { DatasetSplit } from '../core/data/dataset';
import { loadPytorchWeights } from '../core/export/pytorchWeightsImport';
import type { ExperimentSpec } from '../core/spec';
import { evalSubset, evaluateModel } from '../core/train/evaluate';
import type { Trainer } from '../core/train/trainer';
import type { OpenWeightsMessage, WeightsOpenedMessage } from './protocol';

export async function openWeightsReply(
  request: OpenWeightsMessage,
  trainer: Trainer | undefined,
  data: DatasetSplit | undefined,
  ended: boolean,
): Promise<WeightsOpenedMessage> {
  const base = { type: 'weights-opened' as const, runId: request.runId, requestId: request.requestId };
  if (!trainer || !data)
    return { ...base, message: 'this run has no model here (it never started, or it was freed): train it first' };
  if (!ended) return { ...base, message: 'weights open into an ended run: stop the run (or let it finish) first' };
  if (!(request.bytes instanceof ArrayBuffer)) return { ...base, message: 'no file was sent' };
  try {
    const loaded = loadPytorchWeights(trainer.model, new Uint8Array(request.bytes));
    if (!loaded.ok) return { ...base, message: loaded.reason };
    const spec: ExperimentSpec = trainer.spec;
    const scores = await evaluateModel(trainer.model, evalSubset(data.test, spec.eval.subsetSize, spec.seed), {
      attacks: spec.eval.attacks,
      pgdSteps: spec.eval.pgdSteps,
      pgdSchedule: spec.eval.pgdSchedule,
      batchSize: spec.train.batchSize,
      seed: spec.seed,
    });
    return { ...base, scores, metadata: loaded.metadata };
  } catch (e) {
    return { ...base, message: e instanceof Error ? e.message : String(e) };
  }
}
