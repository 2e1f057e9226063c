import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendDecision, BackendName } from '../core/backend';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import type { FromProbe, ProbeRequest } from '../worker/probeProtocol';
import {
  createBackendChooser,
  modelKey,
  PROBE_DEADLINE_MS,
  PROBE_LOAD_MS,
  SOFTWARE_NOTE,
  type DecisionStore,
  type ProbeWorkerLike,
} from './backendChooser';

/** How a fake probe worker answers, as the real one would (probeHandler.ts): adapter first, then the result. */
interface Behaviour {
  software?: boolean;
  /** Median ms/step to report. */
  ms?: number;
  /** A failed probe: 'did not start', or a timing error's message. */
  error?: string;
  /** The worker itself fails (an 'error' event) with this message (null: an event without one). */
  crash?: string | null;
  /** Says what its adapter is, then never answers (hangs or crawls). */
  silent?: boolean;
  /** Takes this long (on the test's clock) to load before it answers anything; Infinity: never loads. */
  loadMs?: number;
}
type Script = Partial<Record<BackendName, Behaviour>>;

class FakeProbeWorker implements ProbeWorkerLike {
  sent: ProbeRequest[] = [];
  /** Times terminate() was called; a terminated worker delivers nothing more. */
  terminated = 0;
  private listeners: Record<string, ((e: never) => void)[]> = {};
  constructor(
    private readonly script: Script | undefined,
    private readonly clock?: ManualClock,
  ) {}
  get backend(): BackendName | undefined {
    return this.sent[0]?.backend;
  }
  postMessage(m: ProbeRequest) {
    this.sent.push(m);
    // Answers come later, as from a real worker.
    if (!this.script) return;
    const b = this.script[m.backend] ?? { silent: true };
    if (b.loadMs === Infinity) return;
    if (b.loadMs !== undefined) this.clock!.setTimer(() => this.play(m.backend, b), b.loadMs);
    else setImmediate(() => this.play(m.backend, b));
  }
  addEventListener(type: string, l: (e: never) => void) {
    (this.listeners[type] ??= []).push(l);
  }
  terminate() {
    this.terminated++;
  }
  emit(data: FromProbe) {
    if (this.terminated) return;
    for (const l of this.listeners.message ?? []) l({ data } as never);
  }
  crash(message: string | null) {
    if (this.terminated) return;
    for (const l of this.listeners.error ?? []) l((message === null ? {} : { message }) as never);
  }
  play(backend: BackendName, b: Behaviour) {
    if (b.crash !== undefined) return this.crash(b.crash);
    this.emit({
      type: 'probe-adapter',
      backend,
      software: b.software ?? false,
      adapter: b.software ? 'SwiftShader' : undefined,
    });
    if (b.silent) return;
    this.emit(
      b.ms !== undefined
        ? { type: 'probe-result', backend, msPerStep: b.ms }
        : { type: 'probe-result', backend, error: b.error ?? 'did not start' },
    );
  }
}

/** A manual clock: timers wait until the test advances time to them. */
class ManualClock {
  now = 0;
  private next = 0;
  timers: { id: number; ms: number; due: number; callback: () => void; state: 'pending' | 'fired' | 'cleared' }[] = [];
  setTimer = (callback: () => void, ms: number): unknown => {
    const t = { id: ++this.next, ms, due: this.now + ms, callback, state: 'pending' as const };
    this.timers.push(t);
    return t.id;
  };
  clearTimer = (handle: unknown) => {
    const t = this.timers.find((x) => x.id === handle);
    if (t && t.state === 'pending') t.state = 'cleared';
  };
  pending() {
    return this.timers.filter((t) => t.state === 'pending');
  }
  /** Moves time to the earliest pending timer and fires it; false when none is pending. */
  advance(): boolean {
    const t = this.pending().sort((a, b) => a.due - b.due || a.id - b.id)[0];
    if (!t) return false;
    this.now = t.due;
    t.state = 'fired';
    t.callback();
    return true;
  }
}

class MemoryStore implements DecisionStore {
  data = new Map<string, string>();
  writes = 0;
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.writes++;
    this.data.set(key, value);
  }
}

const macrotask = () => new Promise<void>((r) => setImmediate(r));
const flush = async () => {
  for (let i = 0; i < 10; i++) await macrotask();
};

function setup(script?: Script, o: { storage?: DecisionStore; env?: string } = {}) {
  const workers: FakeProbeWorker[] = [];
  const clock = new ManualClock();
  const storage = o.storage ?? new MemoryStore();
  const env = { key: o.env ?? 'chrome|nvidia|8|isolated' };
  const choose = createBackendChooser({
    createProbeWorker: () => {
      const w = new FakeProbeWorker(script, clock);
      workers.push(w);
      return w;
    },
    storage,
    environmentKey: async () => env.key,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  /** Runs a choice to its end, letting time pass to the next deadline whenever nothing else can happen. */
  const run = async (spec: ExperimentSpec): Promise<BackendDecision> => {
    let state: 'pending' | 'done' = 'pending';
    const p = choose(spec);
    p.then(
      () => (state = 'done'),
      () => (state = 'done'),
    );
    for (let i = 0; i < 50 && state === 'pending'; i++) {
      await flush();
      if (state === 'pending') clock.advance();
    }
    return p;
  };
  return { choose, run, workers, clock, storage, env };
}

const spec = (): ExperimentSpec => structuredClone(DEFAULT_SPEC);
const ALL_FAST: Script = { wasm: { ms: 60 }, webgpu: { ms: 12 }, webgl: { ms: 30 }, cpu: { ms: 500 } };

afterEach(() => vi.restoreAllMocks());

describe('modelKey', () => {
  it('changes with the model, the input shape and the batch size', () => {
    const base = spec();
    const variants: ((s: ExperimentSpec) => void)[] = [
      (s) => (s.model.width = 32),
      (s) => (s.model.depth = 3),
      (s) => (s.model.name = 'mlp'),
      (s) => (s.train.batchSize = 128),
      (s) => (s.dataset.name = 'cifar10'),
      (s) => {
        s.dataset.name = 'toy';
        s.model.name = 'linear';
      },
    ];
    const keys = new Set([modelKey(base)]);
    for (const change of variants) {
      const s = spec();
      change(s);
      keys.add(modelKey(s));
    }
    expect(keys.size).toBe(variants.length + 1);
  });

  it('ignores what does not change the step time: seed, rate, epochs, runs, evaluation', () => {
    const a = spec();
    const b = spec();
    b.seed = 99;
    b.train.lr = 0.3;
    b.train.epochs = 40;
    b.runs = [{ id: 'x', method: 'sam', rho: 0.1 }];
    b.eval.pgdSteps = 50;
    b.dataset.trainSize = 100;
    expect(modelKey(b)).toBe(modelKey(a));
  });

  it('keys the toy set by its number of features, not by how they split', () => {
    const toy = (robust: number, nonRobust: number) => {
      const s = spec();
      s.dataset.name = 'toy';
      s.model.name = 'mlp';
      s.dataset.toy = { ...s.dataset.toy, robustDims: robust, nonRobustDims: nonRobust };
      return modelKey(s);
    };
    expect(toy(4, 20)).toBe(toy(10, 14));
    expect(toy(4, 20)).not.toBe(toy(4, 21));
    // The toy features of another dataset name do not matter.
    const img = spec();
    const img2 = spec();
    img2.dataset.toy = { ...img2.dataset.toy, robustDims: 99 };
    expect(modelKey(img2)).toBe(modelKey(img));
  });
});

describe('backend chooser', () => {
  it('probes wasm, then webgpu, then webgl, each alone, and not cpu when one of them finished', async () => {
    const { choose, workers } = setup();
    const s = spec();
    const p = choose(s);
    await flush();
    expect(workers.map((w) => w.backend)).toEqual(['wasm']);
    expect(workers[0].sent).toEqual([{ type: 'probe', backend: 'wasm', spec: s }]);
    // Still alone while it is timing.
    await flush();
    expect(workers).toHaveLength(1);
    workers[0].emit({ type: 'probe-adapter', backend: 'wasm', software: false });
    await flush();
    expect(workers).toHaveLength(1);
    workers[0].emit({ type: 'probe-result', backend: 'wasm', msPerStep: 60 });
    await flush();
    expect(workers[0].terminated).toBeGreaterThan(0);
    // One at a time: a GPU backend's timing is not shared with another's.
    expect(workers.map((w) => w.backend)).toEqual(['wasm', 'webgpu']);
    workers[1].emit({ type: 'probe-adapter', backend: 'webgpu', software: false });
    workers[1].emit({ type: 'probe-result', backend: 'webgpu', msPerStep: 40 });
    await flush();
    expect(workers.map((w) => w.backend)).toEqual(['wasm', 'webgpu', 'webgl']);
    workers[2].emit({ type: 'probe-adapter', backend: 'webgl', software: false });
    workers[2].emit({ type: 'probe-result', backend: 'webgl', msPerStep: 25 });
    const d = await p;
    expect(d.backend).toBe('webgl');
    expect(workers.map((w) => w.backend)).toEqual(['wasm', 'webgpu', 'webgl']);
    expect(d.measurements.map((m) => [m.backend, m.msPerStep])).toEqual([
      ['wasm', 60],
      ['webgpu', 40],
      ['webgl', 25],
    ]);
  });

  it('probes cpu only when none of wasm, webgpu and webgl finished', async () => {
    const { run, workers } = setup({
      wasm: { error: 'did not start' },
      webgpu: { error: 'did not start' },
      webgl: { crash: 'out of memory' },
      cpu: { ms: 900 },
    });
    const d = await run(spec());
    expect(workers.map((w) => w.backend)).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
    expect(d.backend).toBe('cpu');
    expect(d.reason).toContain('cpu: 900 ms/step');
    expect(d.reason).toContain('wasm: did not start');
    expect(d.reason).toContain('webgl: its worker failed (out of memory)');
  });

  it('takes the fastest and remembers it: the same environment and model probe nothing the second time', async () => {
    const { run, workers, storage } = setup(ALL_FAST);
    const first = await run(spec());
    expect(first.backend).toBe('webgpu');
    expect(workers).toHaveLength(3);
    expect((storage as MemoryStore).writes).toBe(1);

    // Training settings that do not change the model shape share the decision.
    const again = spec();
    again.train.lr = 0.2;
    again.seed = 5;
    const second = await run(again);
    expect(workers).toHaveLength(3);
    expect(second.backend).toBe(first.backend);
    expect(second.reason).toBe(first.reason);
    // Only the remembered one says when it was measured.
    expect(first.measuredAt).toBeUndefined();
    expect(second.measuredAt).toEqual(expect.any(Number));
  });

  it('probes again for another model width or another environment', async () => {
    const { run, workers, env } = setup(ALL_FAST);
    await run(spec());
    expect(workers).toHaveLength(3);
    const wider = spec();
    wider.model.width = DEFAULT_SPEC.model.width * 2;
    await run(wider);
    expect(workers).toHaveLength(6);
    // Both are remembered now.
    await run(spec());
    await run(wider);
    expect(workers).toHaveLength(6);
    env.key = 'firefox|intel|4|not-isolated';
    await run(spec());
    expect(workers).toHaveLength(9);
  });

  it('names a software adapter without timing it: its worker is ended as soon as it says so', async () => {
    const { run, workers, clock } = setup({
      wasm: { ms: 60 },
      webgpu: { software: true, silent: true },
      webgl: { ms: 45 },
    });
    const d = await run(spec());
    const gpu = workers.find((w) => w.backend === 'webgpu')!;
    expect(gpu.terminated).toBeGreaterThan(0);
    // No deadline had to fire: the adapter message settled it.
    expect(clock.timers.filter((t) => t.state === 'fired')).toEqual([]);
    expect(clock.timers.every((t) => t.state === 'cleared')).toBe(true);
    const m = d.measurements.find((x) => x.backend === 'webgpu')!;
    expect(m.msPerStep).toBeUndefined();
    expect(m.note).toBe(SOFTWARE_NOTE);
    expect(d.backend).toBe('webgl');
    expect(d.reason).toContain(`webgpu: ${SOFTWARE_NOTE}`);
  });

  it('a hardware GPU that never answers is ended at the GPU deadline, without the software label', async () => {
    const { run, workers, clock } = setup({ wasm: { ms: 60 }, webgpu: { silent: true }, webgl: { ms: 80 } });
    const d = await run(spec());
    expect(clock.now).toBe(PROBE_DEADLINE_MS.gpu);
    const m = d.measurements.find((x) => x.backend === 'webgpu')!;
    expect(m.note).toBe('no step within 15,000 ms');
    expect(d.backend).toBe('wasm');
    expect(workers.every((w) => w.terminated > 0)).toBe(true);
  });

  it('gives a slow-loading worker its full step deadline from its first message, and ends one that never loads', async () => {
    const slow = setup({ wasm: { ms: 60, loadMs: 20_000 }, webgpu: { software: true }, webgl: { software: true } });
    const d = await slow.run(spec());
    expect(d.backend, '20 s to load (a cold dev server) is not a slow step').toBe('wasm');
    expect(slow.clock.now).toBe(20_000);
    expect(slow.clock.timers.filter((t) => t.state === 'fired' && t.ms !== 20_000)).toEqual([]);
    const never = setup({ wasm: { loadMs: Infinity }, webgpu: { software: true }, webgl: { ms: 80 } });
    const n = await never.run(spec());
    expect(n.measurements.find((m) => m.backend === 'wasm')!.note).toBe('its worker did not load within 60,000 ms');
    expect(never.clock.now).toBe(PROBE_LOAD_MS);
    expect(n.backend).toBe('webgl');
  });

  it('never chooses a software adapter, even one that would have answered fast', async () => {
    const { run } = setup({
      wasm: { ms: 60 },
      webgpu: { software: true, ms: 3899.7 },
      webgl: { software: true, ms: 40 },
    });
    const d = await run(spec());
    expect(d.backend).toBe('wasm');
    expect(d.reason).toBe(`wasm: 60 ms/step (webgpu: ${SOFTWARE_NOTE}; webgl: ${SOFTWARE_NOTE})`);
  });

  it('turns a worker error event into a note, not a rejection', async () => {
    const { run, workers } = setup({
      wasm: { crash: 'wasm fetch failed' },
      webgpu: { crash: null },
      webgl: { ms: 70 },
    });
    const d = await run(spec());
    expect(d.backend).toBe('webgl');
    expect(d.measurements.find((m) => m.backend === 'wasm')?.note).toBe('its worker failed (wasm fetch failed)');
    expect(d.measurements.find((m) => m.backend === 'webgpu')?.note).toBe('its worker failed (no message)');
    expect(workers.find((w) => w.backend === 'cpu')).toBeUndefined();
  });

  it.each<[string, Script]>([
    ['all answer', ALL_FAST],
    ['some fail or crash', { wasm: { crash: 'x' }, webgpu: { error: 'did not start' }, webgl: { ms: 5 } }],
    ['GPUs hang', { wasm: { ms: 5 }, webgpu: { silent: true, software: true }, webgl: { silent: true } }],
    ['only cpu', { wasm: { error: 'e' }, webgpu: { crash: 'c' }, webgl: { silent: true }, cpu: { ms: 1000 } }],
    ['nothing', { wasm: { error: 'e' }, webgpu: { crash: 'c' }, webgl: { silent: true }, cpu: { silent: true } }],
  ])('terminates every probe worker and leaves no timer pending in the end (%s)', async (_, script) => {
    const { run, workers, clock } = setup(script);
    await run(spec()).catch(() => undefined);
    expect(workers.length).toBeGreaterThanOrEqual(3);
    for (const w of workers) expect(w.terminated, `${w.backend} terminated`).toBeGreaterThan(0);
    expect(clock.pending()).toEqual([]);
  });

  it("rejects, naming each backend's note, when no backend finishes a step", async () => {
    const { run, storage } = setup({
      wasm: { error: 'did not start' },
      webgpu: { crash: 'device lost' },
      webgl: { software: true, silent: true },
      cpu: { error: 'x is not a function' },
    });
    const err = await run(spec()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/no backend finished a training step/);
    expect(msg).toContain('wasm: did not start');
    expect(msg).toContain('webgpu: its worker failed (device lost)');
    expect(msg).toContain(`webgl: ${SOFTWARE_NOTE}`);
    // Nothing is remembered: the next Train measures again.
    expect((storage as MemoryStore).writes).toBe(0);
  });

  it('ignores corrupt remembered content and measures again, never throwing', async () => {
    // Learn the storage key and the entry key from a real decision.
    const probeStore = new MemoryStore();
    await setup(ALL_FAST, { storage: probeStore }).run(spec());
    expect(probeStore.data.size).toBe(1);
    const [storageKey, value] = [...probeStore.data][0];
    const [entryKey] = Object.keys(JSON.parse(value) as object);

    const corrupt: string[] = [
      '{not json',
      'null',
      '42',
      '"a string"',
      '[1,2,3]',
      JSON.stringify({ [entryKey]: null }),
      JSON.stringify({ [entryKey]: 'webgl' }),
      JSON.stringify({ [entryKey]: { backend: 'gpu', reason: 'r', at: 1 } }),
      JSON.stringify({ [entryKey]: { backend: 'webgl', reason: 5, at: 1 } }),
      JSON.stringify({ [entryKey]: { backend: 'webgl', reason: 'r', at: '1' } }),
      JSON.stringify({ [entryKey]: { backend: 'webgl', at: 1 } }),
      JSON.stringify({ [entryKey]: { backend: ['webgl'], reason: 'r', at: 1 } }),
    ];
    for (const content of corrupt) {
      const storage = new MemoryStore();
      storage.data.set(storageKey, content);
      const { run, workers } = setup(ALL_FAST, { storage });
      const d = await run(spec());
      expect(workers.length, content).toBe(3);
      expect(d.backend).toBe('webgpu');
      // The fresh decision replaces the corrupt content with a readable one.
      const stored = JSON.parse(storage.data.get(storageKey)!) as Record<string, { backend: string }>;
      expect(stored[entryKey].backend).toBe('webgpu');
    }
  });

  it('keeps a valid remembered entry beside corrupt ones, and truncates a huge reason', async () => {
    const probeStore = new MemoryStore();
    await setup(ALL_FAST, { storage: probeStore }).run(spec());
    const [storageKey, value] = [...probeStore.data][0];
    const [entryKey] = Object.keys(JSON.parse(value) as object);
    const storage = new MemoryStore();
    storage.data.set(
      storageKey,
      JSON.stringify({
        junk: 7,
        other: { backend: 'tpu' },
        [entryKey]: { backend: 'wasm', reason: 'w'.repeat(100_000), at: 1 },
      }),
    );
    const { run, workers } = setup(ALL_FAST, { storage });
    const d = await run(spec());
    expect(workers).toHaveLength(0);
    expect(d.backend).toBe('wasm');
    expect(d.reason.length).toBeLessThanOrEqual(300);
    expect(d.reason).toMatch(/^w+$/);
    expect(d.measurements).toEqual([]);
    expect(d.measuredAt).toBe(1);
  });

  it('decides even when the storage refuses to read or to write', async () => {
    const hostile: DecisionStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const { run, workers } = setup(ALL_FAST, { storage: hostile });
    expect((await run(spec())).backend).toBe('webgpu');
    expect((await run(spec())).backend).toBe('webgpu');
    // Nothing could be remembered, so each call measured.
    expect(workers).toHaveLength(6);
  });

  it('works without storage, measuring every time', async () => {
    const workers: FakeProbeWorker[] = [];
    const clock = new ManualClock();
    const choose = createBackendChooser({
      createProbeWorker: () => {
        const w = new FakeProbeWorker(ALL_FAST);
        workers.push(w);
        return w;
      },
      environmentKey: async () => 'e',
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    expect((await choose(spec())).backend).toBe('webgpu');
    expect((await choose(spec())).backend).toBe('webgpu');
    expect(workers).toHaveLength(6);
  });

  it('remembers at most 32 model shapes, dropping the oldest', async () => {
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now++);
    const { run, workers, storage } = setup(ALL_FAST);
    const widths = Array.from({ length: 34 }, (_, i) => i + 1);
    const withWidth = (w: number) => {
      const s = spec();
      s.model.width = w;
      return s;
    };
    for (const w of widths) await run(withWidth(w));
    expect(workers).toHaveLength(34 * 3);
    const [value] = [...(storage as MemoryStore).data.values()];
    expect(Object.keys(JSON.parse(value) as object)).toHaveLength(32);
    // The newest is remembered, the two oldest were dropped.
    await run(withWidth(34));
    expect(workers).toHaveLength(34 * 3);
    await run(withWidth(1));
    expect(workers).toHaveLength(35 * 3);
  });
});
