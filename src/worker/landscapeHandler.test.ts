// The run handler's landscape messages over a MessageChannel in Node (cpu backend, tiny CNN):
// landscapes after evaluations, on demand while paused and after the end, cancellation, and that
// none of it changes what the run learns.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { LandscapeResult } from '../core/landscape/results';
import type { ExperimentSpec, LandscapeWhen } from '../core/spec';
import { blobSplit, tinySpec } from '../core/train/testFixtures';
import { useHandlerChannels } from './handlerChannel.testing';
import { LANDSCAPE_KINDS } from '../core/landscape/request';
import { PROTOCOL_VERSION, type ToWorker } from './protocol';

const data = blobSplit('image');
const openHandlerChannel = useHandlerChannels();

// 96 images in batches of 16: 6 steps an epoch, evaluations at steps 0, 6 and 12.
function landscapeSpec(when: LandscapeWhen): ExperimentSpec {
  const s = tinySpec({ name: 'cnn', width: 4, depth: 1 }, [{ id: 'sam', method: 'sam', rho: 0.05 }], { epochs: 2 });
  s.landscape = { when, points1d: 3, points2d: 3, batchSize: 8, inputEps: 0.03 };
  return s;
}

function channel() {
  const h = openHandlerChannel({ initBackend: async () => 'cpu', loadData: async () => data });
  return { received: h.received, send: (m: ToWorker) => h.send(m), next: h.next };
}

const start = (spec: ExperimentSpec): ToWorker => ({
  type: 'start',
  protocolVersion: PROTOCOL_VERSION,
  runId: 'sam',
  spec,
});
const ask = (requestId: string, kinds = LANDSCAPE_KINDS): ToWorker => ({
  type: 'landscape',
  runId: 'sam',
  requestId,
  kinds,
});

/** Values present in a result: points of a 1-D slice, cells of a 2-D one, 1 for sharpness. */
function valueCount(r: LandscapeResult): number {
  if (r.kind === 'weight-1d') return r.loss.length;
  if (r.kind === 'input-1d') return r.lossAdv.length;
  if (r.kind === 'sharpness' || r.kind === 'duality') return 1;
  return r.loss.flat().length;
}

describe('run handler landscapes', () => {
  it('computes every kind after each evaluation, streams partials with rising progress, and trains exactly as without', async () => {
    const before = tf.memory().numTensors;
    const plain = channel();
    plain.send(start(landscapeSpec('never')));
    const plainDone = await plain.next('done');

    const c = channel();
    c.send(start(landscapeSpec('every-eval')));
    const done = await c.next('done');
    const last = await c.next('landscape-done', (m) => m.requestId === 'eval-12');
    await c.next('landscape-done', (m) => m.requestId === 'duality-12');
    const all = c.received.filter((m) => m.type === 'landscape-start');
    // The duality view is computed at every evaluation on its own, whatever landscape.when says.
    expect(all.filter((m) => m.requestId.startsWith('duality-')).map((m) => [m.requestId, m.kinds, m.step])).toEqual([
      ['duality-0', ['duality'], 0],
      ['duality-6', ['duality'], 6],
      ['duality-12', ['duality'], 12],
    ]);
    const starts = all.filter((m) => !m.requestId.startsWith('duality-'));
    expect(starts.map((m) => [m.requestId, m.trigger, m.step, m.epoch])).toEqual([
      ['eval-0', 'eval', 0, 0],
      ['eval-6', 'eval', 6, 1],
      ['eval-12', 'eval', 12, 2],
    ]);
    expect(starts[0].estimate.evals).toBeGreaterThan(0);
    expect(last.results.map((r) => r.kind)).toEqual(LANDSCAPE_KINDS);
    expect(last.results.map(valueCount)).toEqual([3, 3, 9, 9, 1]);
    expect(last.ms).toBeGreaterThan(0);
    const progress = c.received.flatMap((m) =>
      m.type === 'landscape-partial' && m.requestId === 'eval-6' ? [m.progress] : [],
    );
    expect(progress.length).toBeGreaterThanOrEqual(3 + 3 + 3 + 3 + 1);
    expect(progress.every((p, i) => p > 0 && p <= 1 + 1e-12 && (i === 0 || p >= progress[i - 1]))).toBe(true);
    expect(progress.at(-1)).toBeCloseTo(1, 12);
    // Landscapes between steps leave weights and BatchNorm buffers as they were: the same run.
    expect(done.type === 'done' && plainDone.type === 'done').toBe(true);
    expect(done.result.history).toEqual(plainDone.result.history);

    plain.send({ type: 'dispose', runId: 'sam' });
    c.send({ type: 'dispose', runId: 'sam' });
    await new Promise((r) => setTimeout(r, 50));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answers a request while paused without stepping, and after the end; cancel stops one and the next still runs', async () => {
    const c = channel();
    c.send(start(landscapeSpec('never')));
    await c.next('progress', (m) => m.step === 2);
    c.send({ type: 'pause', runId: 'sam' });
    await c.next('status', (m) => m.status === 'paused');
    const stepsAtPause = c.received.filter((m) => m.type === 'progress').length;
    c.send(ask('paused', ['weight-1d', 'sharpness']));
    const paused = await c.next('landscape-done', (m) => m.requestId === 'paused');
    expect(paused.results.map((r) => r.kind)).toEqual(['weight-1d', 'sharpness']);
    expect(c.received.find((m) => m.type === 'landscape-start' && m.requestId === 'paused')).toMatchObject({
      trigger: 'manual',
      step: stepsAtPause,
    });
    expect(c.received.filter((m) => m.type === 'progress')).toHaveLength(stepsAtPause);
    c.send({ type: 'resume', runId: 'sam' });
    const done = await c.next('done');
    expect(done.result.status).toBe('done');

    // Cancelled at its first partial: no landscape-done for it, and the worker still answers.
    c.send(ask('cancel-me', ['weight-2d', 'input-2d']));
    await c.next('landscape-partial', (m) => m.requestId === 'cancel-me');
    c.send({ type: 'landscape-cancel', runId: 'sam', requestId: 'cancel-me' });
    const cancelled = await c.next('landscape-cancelled', (m) => m.requestId === 'cancel-me');
    expect(cancelled.message).toBeUndefined();
    c.send(ask('after', ['input-1d']));
    const after = await c.next('landscape-done', (m) => m.requestId === 'after');
    expect(after.results.map(valueCount)).toEqual([3]);
    expect(c.received.some((m) => m.type === 'landscape-done' && m.requestId === 'cancel-me')).toBe(false);
    expect(c.received.find((m) => m.type === 'landscape-start' && m.requestId === 'after')).toMatchObject({
      step: 12,
      epoch: 2,
    });
    c.send({ type: 'dispose', runId: 'sam' });
  });

  it("computes one landscape at the end when spec.landscape.when is 'end'", async () => {
    const c = channel();
    c.send(start(landscapeSpec('end')));
    await c.next('landscape-done', (m) => m.requestId === 'end');
    const slices = c.received.flatMap((m) =>
      m.type === 'landscape-start' && m.kinds.includes('weight-1d') ? [[m.requestId, m.trigger, m.step]] : [],
    );
    expect(slices).toEqual([['end', 'end', 12]]);
    c.send({ type: 'dispose', runId: 'sam' });
  });
});
