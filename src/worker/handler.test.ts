import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { DatasetSplit } from '../core/data/dataset';
import type { ExperimentSpec } from '../core/spec';
import { blobSplit, tinySpec } from '../core/train/testFixtures';
import type { HandlerDeps } from './handler';
import { useHandlerChannels } from './handlerChannel.testing';
import { PROTOCOL_VERSION, type FromWorker, type StartMessage, type ToWorker } from './protocol';

// 96 training images in batches of 16 for 2 epochs: 12 steps of a tiny CNN on the cpu backend.
const spec: ExperimentSpec = tinySpec({ name: 'cnn', width: 4, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], {
  epochs: 2,
});
const data: DatasetSplit = blobSplit('image');
const openHandlerChannel = useHandlerChannels();

/** The handler on one end of a MessageChannel; the test talks to it from the other end. */
function channel(deps: Partial<HandlerDeps> = {}, grantTurns = true) {
  const h = openHandlerChannel({ initBackend: async () => 'cpu', loadData: async () => data, ...deps }, { grantTurns });
  return { received: h.received, send: (m: ToWorker) => h.send(m), next: h.waitFor };
}

const start = (s: ExperimentSpec = spec, protocolVersion = PROTOCOL_VERSION): StartMessage => ({
  type: 'start',
  protocolVersion,
  runId: 'sgd',
  spec: s,
});
const progressSteps = (msgs: FromWorker[]) => msgs.flatMap((m) => (m.type === 'progress' ? [m.step] : []));
/** Every step's loss and every evaluation: equal lists mean the same float32 inputs reached the model. */
const losses = (msgs: FromWorker[]) =>
  msgs.flatMap((m): unknown[] => (m.type === 'progress' ? [m.loss] : m.type === 'done' ? [m.result.history] : []));
const dataReady = (msgs: FromWorker[]) => msgs.flatMap((m) => (m.type === 'data-ready' ? [m] : []));
/** The channel's messages once its run is done. */
async function untilDone(c: ReturnType<typeof channel>): Promise<FromWorker[]> {
  await c.next((m) => m.type === 'done');
  return c.received;
}
/** The blobs with every pixel a byte / 255, as the image parsers make them (imagesToDataset). */
function byteSplit(): DatasetSplit {
  const quantise = (x: Float32Array | Uint8Array) =>
    Float32Array.from(x, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255);
  return {
    train: { ...data.train, x: quantise(data.train.x) },
    test: { ...data.test, x: quantise(data.test.x) },
  };
}

describe('run worker handler', () => {
  it('trains a run to the end: status, progress for every step, metrics at each evaluation, done; no tensors leak', async () => {
    const before = tf.memory().numTensors;
    const c = channel();
    c.send(start());
    const done = await c.next((m) => m.type === 'done');
    const types = c.received.map((m) => m.type);
    expect(c.received[0]).toEqual({ type: 'status', runId: 'sgd', status: 'queued', backend: 'cpu' });
    expect(c.received[1]).toEqual({ type: 'status', runId: 'sgd', status: 'training', backend: 'cpu' });
    expect(progressSteps(c.received)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const progress = c.received.filter((m) => m.type === 'progress');
    expect(progress.every((m) => m.totalSteps === 12 && m.imagesPerSec > 0 && Number.isFinite(m.loss))).toBe(true);
    // Evaluations at step 0, after epoch 1 and at the end.
    expect(c.received.filter((m) => m.type === 'metrics').map((m) => m.point.step)).toEqual([0, 6, 12]);
    expect(types.at(-2)).toBe('status');
    expect(done.type === 'done' && done.result).toMatchObject({ id: 'sgd', status: 'done' });
    // The ended run keeps its model for on-demand work until it is disposed.
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    c.send({ type: 'dispose', runId: 'sgd' });
    await vi.waitFor(() => expect(tf.memory().numTensors).toBe(before), { timeout: 5000 });
  });

  it('steps only within its turns, and a shared step-0 point changes nothing but the work done', async () => {
    const alone = channel();
    alone.send(start());
    const reference = await alone.next((m) => m.type === 'done');
    const first = reference.type === 'done' ? reference.result.history[0] : undefined;

    const c = channel({}, false);
    c.send(start());
    await c.next((m) => m.type === 'want-turn');
    expect(progressSteps(c.received)).toEqual([]);
    c.send({ type: 'turn', runId: 'sgd', steps: 5, initialPoint: { point: first!, backend: 'cpu' } });
    const asked = await c.next((m) => m.type === 'want-turn' && m.progress > 0);
    expect(asked).toEqual({ type: 'want-turn', runId: 'sgd', progress: 5 / 12 });
    expect(progressSteps(c.received)).toEqual([1, 2, 3, 4, 5]);
    c.send({ type: 'turn', runId: 'sgd', steps: 100 });
    const done = await c.next((m) => m.type === 'done');
    // The adopted point is not evaluated again nor reported again; the run is otherwise the same.
    expect(c.received.filter((m) => m.type === 'metrics').map((m) => m.type === 'metrics' && m.point.step)).toEqual([
      6, 12,
    ]);
    expect(done.type === 'done' && done.result.history).toEqual(reference.type === 'done' && reference.result.history);
    // Its duality view is computed at step 0 all the same (the model is the run's own).
    await c.next((m) => m.type === 'landscape-done' && m.requestId === 'duality-12');
    const duality = (received: typeof c.received) =>
      received.flatMap((m) => (m.type === 'landscape-start' && m.kinds.includes('duality') ? [m.step] : []));
    expect(duality(c.received)).toEqual(duality(alone.received));
    expect(duality(c.received)[0]).toBe(0);
  });

  it('loads and shares the data, then starts the backend the page chose; data given is not loaded again', async () => {
    const asked: string[] = [];
    let loads = 0;
    const deps: Partial<HandlerDeps> = {
      initBackend: async (choice) => (asked.push(choice), 'cpu'),
      loadData: async () => (loads++, data),
    };
    const c = channel(deps);
    c.send({ ...start(), backend: 'wasm', shareData: 2 });
    const ready = await c.next((m) => m.type === 'data-ready');
    expect(ready.type === 'data-ready' && ready.data.train.n).toBe(data.train.n);
    await c.next((m) => m.type === 'done');
    expect(asked).toEqual(['wasm']);
    // No shared memory: two copies, each its own buffers (they are transferred), float32 as the
    // blobs are not bytes, equal to the data.
    const copies = dataReady(c.received);
    expect(copies.map((m) => [m.shared, m.data.train.x instanceof Float32Array])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(copies.map((m) => Array.from(m.data.train.x))).toEqual([Array.from(data.train.x), Array.from(data.train.x)]);

    const given = channel(deps);
    given.send({ ...start(), data: copies[0].data });
    await given.next((m) => m.type === 'done');
    expect(loads).toBe(1);
    expect(given.received.some((m) => m.type === 'data-ready')).toBe(false);
  });

  it('without shared memory, copies of byte-valued images travel as bytes and train bit-identically to the loaded data', async () => {
    const bytes = byteSplit();
    const deps: Partial<HandlerDeps> = { loadData: async () => bytes, sharedMemory: false };
    const source = channel(deps);
    source.send({ ...start(), shareData: 1 });
    const [copy] = dataReady(await untilDone(source));
    expect(copy.shared).toBe(false);
    expect(copy.data.train.x).toBeInstanceOf(Uint8Array);
    expect(copy.data.train.x.length).toBe(bytes.train.x.length);

    const given = channel({ loadData: () => Promise.reject(new Error('must not load')) });
    given.send({ ...start(), data: copy.data });
    expect(losses(await untilDone(given))).toEqual(losses(source.received));
  });

  it('with shared memory, hands over one split in SharedArrayBuffers that every run reads: trained bit-identically, never written to', async () => {
    let loads = 0;
    const source = channel({ loadData: async () => (loads++, data), sharedMemory: true });
    source.send({ ...start(), shareData: 2 });
    const received = await untilDone(source);
    const ready = dataReady(received);
    expect(ready).toHaveLength(1); // one split for every other run, not one per run
    const shared = ready[0].data;
    expect(ready[0].shared).toBe(true);
    for (const a of [shared.train.x, shared.train.y, shared.test.x, shared.test.y])
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    const before = [shared.train.x, shared.test.x].map((x) => Array.from(x));

    const alone = channel();
    alone.send(start());
    const reference = losses(await untilDone(alone));
    // Two runs given the same shared split, one after the other (a restart too gets it).
    for (let i = 0; i < 2; i++) {
      const given = channel({ loadData: () => Promise.reject(new Error('must not load')) });
      given.send({ ...start(), data: shared });
      expect(losses(await untilDone(given))).toEqual(reference);
    }
    expect(losses(received)).toEqual(reference); // the loading run trained on the shared copy the same
    expect([shared.train.x, shared.test.x].map((x) => Array.from(x))).toEqual(before);
    expect(loads).toBe(1);
  });

  it('pause stops progress at a step boundary; resume continues from the same step', async () => {
    const c = channel();
    c.send(start());
    await c.next((m) => m.type === 'progress' && m.step === 2);
    c.send({ type: 'pause', runId: 'sgd' });
    await c.next((m) => m.type === 'status' && m.status === 'paused');
    const stepsAtPause = progressSteps(c.received);
    await new Promise((r) => setTimeout(r, 300));
    expect(progressSteps(c.received)).toEqual(stepsAtPause);
    const last = stepsAtPause.at(-1)!;
    c.send({ type: 'resume', runId: 'sgd' });
    await c.next((m) => m.type === 'done');
    const steps = progressSteps(c.received);
    expect(steps[stepsAtPause.length]).toBe(last + 1);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(
      c.received.some(
        (m) =>
          m.type === 'status' &&
          m.status === 'training' &&
          c.received.indexOf(m) > c.received.findIndex((p) => p.type === 'status' && p.status === 'paused'),
      ),
    ).toBe(true);
  });

  it('stop ends the run early with status stopped', async () => {
    const c = channel();
    c.send(start());
    await c.next((m) => m.type === 'progress');
    c.send({ type: 'stop', runId: 'sgd' });
    const done = await c.next((m) => m.type === 'done');
    expect(done.type === 'done' && done.result.status).toBe('stopped');
    expect(progressSteps(c.received).length).toBeLessThan(12);
  });

  it('refuses a start of another protocol version, a spec without the run and an invalid spec', async () => {
    const old = channel();
    old.send(start(spec, PROTOCOL_VERSION + 1));
    expect(await old.next((m) => m.type === 'error')).toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('protocol version'),
    });

    const noRun = channel();
    noRun.send({ ...start(), runId: 'nope' });
    expect(await noRun.next((m) => m.type === 'error')).toMatchObject({ runId: 'nope', kind: 'protocol' });

    const invalid = channel();
    invalid.send(start({ ...spec, train: { ...spec.train, lr: -1 } }));
    expect(await invalid.next((m) => m.type === 'error')).toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('train.lr'),
    });
    expect(invalid.received.some((m) => m.type === 'progress' || m.type === 'done')).toBe(false);
  });

  it('reports a failing data load as an exception and a lost GPU device as device-lost', async () => {
    const broken = channel({ loadData: async () => Promise.reject(new Error('manifest missing')) });
    broken.send(start());
    expect(await broken.next((m) => m.type === 'error')).toMatchObject({
      kind: 'exception',
      message: 'manifest missing',
    });

    // The device goes at the first chance the worker's event loop gets, i.e. during training.
    const gpu = channel({ onDeviceLost: (cb) => void setTimeout(() => cb('driver reset'), 0) });
    gpu.send(start());
    expect(await gpu.next((m) => m.type === 'error')).toMatchObject({
      kind: 'device-lost',
      message: expect.stringContaining('driver reset'),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(gpu.received.filter((m) => m.type === 'error')).toHaveLength(1);
    expect(gpu.received.some((m) => m.type === 'done')).toBe(false);
  });
});
