import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../scripts/lib/nodeBackend';
import type { BackendName } from '../core/backend';
import { tinySpec } from '../core/train/testFixtures';
import type { AdapterDescription } from './gpuAdapters';
import { attachProbeHandler, type ProbeDeps, type ProbeEndpoint } from './probeHandler';
import type { FromProbe, ProbeRequest } from './probeProtocol';

const spec = () => tinySpec({ name: 'mlp', width: 8, depth: 1 }, [{ id: 'sgd', method: 'sgd' }], { batchSize: 8 });

/** The worker's global scope, faked: what the handler posts, in order, with the other events interleaved. */
class FakeEndpoint implements ProbeEndpoint {
  log: (string | FromProbe)[] = [];
  private listener?: (event: { data: ProbeRequest }) => void;
  private waiting: (() => void)[] = [];
  get posted(): FromProbe[] {
    return this.log.filter((e): e is FromProbe => typeof e !== 'string');
  }
  postMessage(message: FromProbe) {
    this.log.push(message);
    if (message.type === 'probe-result') for (const w of this.waiting.splice(0)) w();
  }
  addEventListener(_type: 'message', listener: (event: { data: ProbeRequest }) => void) {
    this.listener = listener;
  }
  send(data: unknown) {
    this.listener?.({ data: data as ProbeRequest });
  }
  /** Sends a probe request and resolves once the handler has posted its result. */
  probe(backend: BackendName): Promise<FromProbe[]> {
    const done = new Promise<void>((r) => this.waiting.push(r));
    this.send({ type: 'probe', backend, spec: spec() });
    return done.then(() => this.posted);
  }
}

function deps(
  endpoint: FakeEndpoint,
  over: Partial<ProbeDeps> = {},
  adapter: AdapterDescription = { software: false },
): ProbeDeps {
  let t = 0;
  return {
    describeAdapter: async (name) => {
      endpoint.log.push(`describe ${name}`);
      return adapter;
    },
    startBackend: async (name) => {
      endpoint.log.push(`start ${name}`);
      return tf.setBackend('cpu');
    },
    // Each reading 1000 ms after the last: the timing stops at its minimum of timed steps.
    now: () => (t += 1000),
    ...over,
  };
}

describe('probe handler', () => {
  beforeAll(() => useBackend('cpu'));

  it('says what the adapter is before starting the backend, then posts the step time', async () => {
    const endpoint = new FakeEndpoint();
    attachProbeHandler(endpoint, deps(endpoint, {}, { software: false, name: 'NVIDIA Ampere' }));
    await endpoint.probe('webgl');
    expect(endpoint.log).toEqual([
      'describe webgl',
      { type: 'probe-adapter', backend: 'webgl', software: false, adapter: 'NVIDIA Ampere' },
      'start webgl',
      // Every timed step lies between two readings 1000 ms apart.
      { type: 'probe-result', backend: 'webgl', msPerStep: 1000 },
    ]);
  });

  it('never starts an emulated GPU: it says so and stops', async () => {
    const endpoint = new FakeEndpoint();
    attachProbeHandler(endpoint, deps(endpoint, {}, { software: true, name: 'Google SwiftShader' }));
    await endpoint.probe('webgpu');
    expect(endpoint.log).toEqual([
      'describe webgpu',
      { type: 'probe-adapter', backend: 'webgpu', software: true, adapter: 'Google SwiftShader' },
      { type: 'probe-result', backend: 'webgpu', error: 'software renderer, not started' },
    ]);
  });

  it('adds how the started backend runs to its result, asking after it has started', async () => {
    const endpoint = new FakeEndpoint();
    const backendNote = (name: BackendName) => {
      endpoint.log.push(`note ${name}`);
      return name === 'wasm' ? '4 threads' : undefined;
    };
    attachProbeHandler(endpoint, deps(endpoint, { backendNote }));
    const posted = await endpoint.probe('wasm');
    expect(posted.at(-1)).toEqual({ type: 'probe-result', backend: 'wasm', msPerStep: 1000, note: '4 threads' });
    expect(endpoint.log.filter((e) => typeof e === 'string')).toEqual(['describe wasm', 'start wasm', 'note wasm']);
  });

  it('times real steps on the real clock: a positive, finite ms/step', async () => {
    const endpoint = new FakeEndpoint();
    attachProbeHandler(endpoint, deps(endpoint, { now: () => performance.now() }));
    const posted = await endpoint.probe('cpu');
    expect(posted).toHaveLength(2);
    expect(posted[0]).toEqual({ type: 'probe-adapter', backend: 'cpu', software: false, adapter: undefined });
    const result = posted[1];
    expect(result.type).toBe('probe-result');
    if (result.type !== 'probe-result') return;
    expect(result.error).toBeUndefined();
    expect(Number.isFinite(result.msPerStep)).toBe(true);
    expect(result.msPerStep).toBeGreaterThan(0);
  });

  it('posts "did not start", and times nothing, when the backend does not start', async () => {
    const endpoint = new FakeEndpoint();
    let readings = 0;
    attachProbeHandler(endpoint, deps(endpoint, { startBackend: async () => false, now: () => ++readings }));
    const before = tf.memory().numTensors;
    const posted = await endpoint.probe('webgpu');
    expect(posted).toEqual([
      { type: 'probe-adapter', backend: 'webgpu', software: false, adapter: undefined },
      { type: 'probe-result', backend: 'webgpu', error: 'did not start' },
    ]);
    expect(readings).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('turns an error while timing into a result with its message, leaving no tensors', async () => {
    const endpoint = new FakeEndpoint();
    const before = tf.memory().numTensors;
    attachProbeHandler(
      endpoint,
      deps(endpoint, {
        now: () => {
          throw new Error('clock broke');
        },
      }),
    );
    const posted = await endpoint.probe('wasm');
    expect(posted.at(-1)).toEqual({ type: 'probe-result', backend: 'wasm', error: 'clock broke' });
    expect(posted.filter((m) => m.type === 'probe-result')).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('turns a failing start or adapter query into a result with the error', async () => {
    const failingStart = new FakeEndpoint();
    attachProbeHandler(
      failingStart,
      deps(failingStart, {
        startBackend: async () => {
          throw new Error('no WebGPU adapter');
        },
      }),
    );
    expect((await failingStart.probe('webgpu')).at(-1)).toEqual({
      type: 'probe-result',
      backend: 'webgpu',
      error: 'no WebGPU adapter',
    });

    const failingAdapter = new FakeEndpoint();
    attachProbeHandler(
      failingAdapter,
      deps(failingAdapter, {
        describeAdapter: () => Promise.reject('lost context'),
      }),
    );
    // A non-Error rejection still becomes a message; the backend is never started.
    expect(await failingAdapter.probe('webgl')).toEqual([
      { type: 'probe-result', backend: 'webgl', error: 'lost context' },
    ]);
    expect(failingAdapter.log.some((e) => typeof e === 'string' && e.startsWith('start'))).toBe(false);
  });

  it('ignores messages that are not probe requests', async () => {
    const endpoint = new FakeEndpoint();
    attachProbeHandler(endpoint, deps(endpoint));
    endpoint.send(undefined);
    endpoint.send(null);
    endpoint.send({ type: 'start', backend: 'cpu' });
    endpoint.send('probe');
    // A real request after them is answered, and only it.
    const posted = await endpoint.probe('cpu');
    expect(posted.map((m) => m.type)).toEqual(['probe-adapter', 'probe-result']);
    expect(endpoint.log.filter((e) => typeof e === 'string')).toEqual(['describe cpu', 'start cpu']);
  });
});
