import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { modelSafetensors } from '../core/export/pytorchWeights';
import { createModel } from '../core/model/createModel';
import { Rng } from '../core/rng';
import type { ExperimentSpec } from '../core/spec';
import { evalSubset, evaluateModel } from '../core/train/evaluate';
import { blobSplit, tinySpec } from '../core/train/testFixtures';
import { useHandlerChannels } from './handlerChannel.testing';
import { PROTOCOL_VERSION, type FromWorker } from './protocol';

const spec: ExperimentSpec = tinySpec({ name: 'cnn', width: 4, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], {
  epochs: 1,
});
const data = blobSplit('image');
const openHandlerChannel = useHandlerChannels();

const opened = (m: FromWorker) => m.type === 'weights-opened';

/**
 * Weights trained elsewhere (here a differently seeded model) as a file with `metadata`, and the
 * scores the run's final evaluation should give them, computed directly.
 */
async function otherWeights(metadata: Record<string, string>) {
  const other = createModel(spec.model, data.train, new Rng(77).derive('init'));
  const bytes = await modelSafetensors(other, metadata);
  const expected = await evaluateModel(other, evalSubset(data.test, spec.eval.subsetSize, spec.seed), {
    attacks: spec.eval.attacks,
    pgdSteps: spec.eval.pgdSteps,
    pgdSchedule: spec.eval.pgdSchedule,
    batchSize: spec.train.batchSize,
    seed: spec.seed,
  });
  other.dispose();
  return { bytes, expected };
}

describe('open weights in a run worker', () => {
  it("takes another model's weights into an ended run, evaluates them as the final evaluation does, and refuses a wrong file unchanged", async () => {
    const h = openHandlerChannel({ initBackend: async () => 'cpu', loadData: async () => data }, { grantTurns: true });
    h.send({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: 'sgd', spec });
    await h.waitFor((m) => m.type === 'done');
    const { bytes, expected } = await otherWeights({ trained_with: 'pytorch', step: '9' });
    h.send({ type: 'open-weights', runId: 'sgd', requestId: 'w1', bytes: bytes.slice().buffer });
    const reply = await h.waitFor(opened);
    expect(reply).toMatchObject({
      requestId: 'w1',
      scores: expected,
      metadata: { trained_with: 'pytorch', step: '9' },
    });

    const wrong = createModel({ ...spec.model, width: 5 }, data.train, new Rng(1).derive('init'));
    const wrongBytes = await modelSafetensors(wrong);
    wrong.dispose();
    h.send({ type: 'open-weights', runId: 'sgd', requestId: 'w2', bytes: wrongBytes.slice().buffer });
    const refused = await h.waitFor((m) => opened(m) && m.requestId === 'w2');
    expect(refused).toMatchObject({
      message: expect.stringMatching(/conv1\.weight: shape \[5, 3, 3, 3\], this model has \[4, 3, 3, 3\]/),
    });
    // The weights are still the opened ones: its weights export gives the file back.
    h.send({ type: 'weights', runId: 'sgd', requestId: 'r' });
    const back = await h.waitFor((m) => m.type === 'weights-reply');
    const tensorsOf = (b: Uint8Array) =>
      b.subarray(8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true)));
    expect(back.type === 'weights-reply' && tensorsOf(new Uint8Array(back.bytes!))).toEqual(tensorsOf(bytes));
    const before = tf.memory().numTensors;
    h.send({ type: 'dispose', runId: 'sgd' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it("'open' mode: builds the model without a training step or a report on the run, takes the weights, and frees every tensor on dispose", async () => {
    const before = tf.memory().numTensors;
    const h = openHandlerChannel({ initBackend: async () => 'cpu', loadData: async () => data });
    h.send({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: 'sgd', spec, mode: 'open' });
    // Sent at once, before the model is built: it waits for it.
    h.send({ type: 'open-weights', runId: 'sgd', requestId: 'bad', bytes: new Uint8Array([1, 2, 3]).buffer });
    expect(await h.next('weights-opened')).toMatchObject({
      requestId: 'bad',
      message: expect.stringMatching(/^not a safetensors file/),
    });
    const { bytes, expected } = await otherWeights({ trained_with: 'pytorch' });
    h.send({ type: 'open-weights', runId: 'sgd', requestId: 'good', bytes: bytes.slice().buffer });
    expect(await h.next('weights-opened', (m) => m.requestId === 'good')).toMatchObject({ scores: expected });
    // Landscapes measure the opened weights at once (the run is ended from the start).
    h.send({ type: 'landscape', runId: 'sgd', requestId: 'l', kinds: ['weight-1d'] });
    expect(await h.next('landscape-done')).toMatchObject({ requestId: 'l', results: [{ kind: 'weight-1d' }] });
    expect(h.received.map((m) => m.type).filter((t) => !t.startsWith('landscape') && t !== 'alive')).toEqual([
      'weights-opened',
      'weights-opened',
    ]);
    h.send({ type: 'dispose', runId: 'sgd' });
    await expect.poll(() => tf.memory().numTensors).toBe(before);
  });

  it("'open' mode: a failed load is reported as the run's error (the page then refuses the weights with it)", async () => {
    const h = openHandlerChannel({
      initBackend: async () => 'cpu',
      loadData: () => Promise.reject(new Error('the dataset shapes is missing')),
    });
    h.send({ type: 'start', protocolVersion: PROTOCOL_VERSION, runId: 'sgd', spec, mode: 'open' });
    h.send({ type: 'open-weights', runId: 'sgd', requestId: 'w', bytes: new ArrayBuffer(8) });
    expect(await h.next('error')).toMatchObject({ kind: 'exception', message: 'the dataset shapes is missing' });
    expect(h.received.map((m) => m.type)).toEqual(['error']);
  });
});
