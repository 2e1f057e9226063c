// Answers a weights request: the run's current model as a .safetensors file in PyTorch layout
// (src/core/export/pytorchWeights.ts). Read between optimiser steps, or after the run ended (the
// worker keeps its trained model until the page ends it).
import { modelSafetensors } from '../core/export/pytorchWeights';
import type { Model } from '../core/model/model';
import type { ExperimentSpec } from '../core/spec';
import type { WeightsReplyMessage, WeightsRequestMessage } from './protocol';

export async function weightsReply(
  request: WeightsRequestMessage,
  model: Model | undefined,
  spec: ExperimentSpec | undefined,
  step: number,
): Promise<WeightsReplyMessage> {
  const base = { type: 'weights-reply' as const, runId: request.runId, requestId: request.requestId };
  if (!model) return { ...base, message: 'this run has no model yet (it has not started training) or it was freed' };
  try {
    const run = spec?.runs.find((r) => r.id === request.runId);
    const bytes = await modelSafetensors(model, {
      run: request.runId,
      ...(run ? { method: run.method, run_spec: JSON.stringify(run) } : {}),
      ...(spec ? { seed: String(spec.seed), dataset: spec.dataset.name, experiment_spec: JSON.stringify(spec) } : {}),
      step: String(step),
    });
    // A fresh ArrayBuffer holding exactly the file, so it can be transferred.
    return { ...base, bytes: bytes.slice().buffer };
  } catch (e) {
    return { ...base, message: e instanceof Error ? e.message : String(e) };
  }
}

export interface WeightsSubject {
  model: Model;
  spec: ExperimentSpec;
  step: number;
}

/**
 * Weights requests wait for a moment when the weights are whole: a checkpoint between steps (SAM
 * and the landscapes perturb the weights inside a step or a job), a pause, or the end.
 */
export function createWeightsRequests(
  post: (reply: WeightsReplyMessage) => void,
  subject: () => WeightsSubject | undefined,
) {
  const queue: WeightsRequestMessage[] = [];
  return {
    enqueue(request: WeightsRequestMessage) {
      queue.push(request);
    },
    async drain() {
      while (queue.length > 0) {
        const request = queue.shift()!;
        const s = subject();
        post(await weightsReply(request, s?.model, s?.spec, s?.step ?? 0));
      }
    },
  };
}
