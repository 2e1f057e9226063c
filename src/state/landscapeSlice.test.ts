import { describe, expect, it } from 'vitest';
import type { LandscapeResult, WeightSlice1d } from '../core/landscape/results';
import { DEFAULT_SPEC } from '../core/spec';
import type { FromWorker, LandscapeStartMessage, ToWorker } from '../worker/protocol';
import { createLabStore } from './labStore';
import { applyLandscapeMessages, passes, type RunLandscapes } from './landscapeSlice';
import { createRunController, type WorkerLike } from './runController';

const estimate = { evals: 10, gradEvals: 2 };
const w1 = (n: number): WeightSlice1d => ({
  kind: 'weight-1d',
  alphas: [-1, 0, 1],
  loss: [2, 1, 2].slice(0, n),
  acc: [0, 1, 0].slice(0, n),
  batchSize: 8,
  estimate: { evals: 3, gradEvals: 0 },
  evals: n,
  gradEvals: 0,
  ms: 10 * n,
});
const start = (requestId: string, step: number): LandscapeStartMessage => ({
  type: 'landscape-start',
  runId: 'sgd',
  requestId,
  trigger: 'eval',
  kinds: ['weight-1d'],
  step,
  epoch: step / 4,
  estimate,
});
const partial = (requestId: string, result: LandscapeResult, progress: number): FromWorker => ({
  type: 'landscape-partial',
  runId: 'sgd',
  requestId,
  result,
  progress,
});

describe('landscape slice reducer', () => {
  it('records the in-progress landscape from partials, then a stamped slice per finished request', () => {
    let s = applyLandscapeMessages({}, [
      start('eval-0', 0),
      partial('eval-0', w1(1), 1 / 3),
      partial('eval-0', w1(2), 2 / 3),
    ]);
    const cur = s.sgd.current!;
    expect(cur).toMatchObject({ requestId: 'eval-0', step: 0, progress: 2 / 3, ms: 20 });
    // One result per kind: the later partial replaces the earlier.
    expect(cur.results).toHaveLength(1);
    expect((cur.results[0] as WeightSlice1d).loss).toEqual([2, 1]);
    s = applyLandscapeMessages(s, [
      { type: 'landscape-done', runId: 'sgd', requestId: 'eval-0', results: [w1(3)], ms: 42 },
      start('eval-4', 4),
    ]);
    expect(s.sgd.slices.map((r) => [r.requestId, r.step, r.epoch, r.progress, r.ms])).toEqual([
      ['eval-0', 0, 0, 1, 42],
    ]);
    expect(s.sgd.current?.requestId).toBe('eval-4');
    expect(passes(estimate)).toBe(16);
  });

  it('drops a cancelled request (queued or current), keeps a failure message, ignores stray partials and other messages', () => {
    const queued: Record<string, RunLandscapes> = { sgd: { slices: [], queued: ['page-1', 'page-2'] } };
    let s = applyLandscapeMessages(queued, [{ ...start('page-1', 3), trigger: 'manual' }]);
    expect(s.sgd.queued).toEqual(['page-2']);
    s = applyLandscapeMessages(s, [
      partial('other', w1(1), 0.5),
      { type: 'landscape-cancelled', runId: 'sgd', requestId: 'page-1' },
      { type: 'landscape-cancelled', runId: 'sgd', requestId: 'page-2', message: 'landscape failed: out of memory' },
    ]);
    expect(s.sgd).toEqual({ slices: [], queued: [], current: undefined, error: 'landscape failed: out of memory' });
    const same = applyLandscapeMessages(s, [
      { type: 'status', runId: 'sgd', status: 'training' },
      partial('gone', w1(1), 1),
    ]);
    expect(same).toBe(s);
  });
});

describe('run controller landscapes', () => {
  it('sends requests to training and ended workers, marks them queued, cancels, and clears on reset', () => {
    const store = createLabStore({ spec: structuredClone(DEFAULT_SPEC), maxParallel: 3 });
    const sent: ToWorker[][] = [];
    const listeners: ((e: { data: FromWorker }) => void)[] = [];
    const controller = createRunController(
      store,
      () => {
        const box: ToWorker[] = [];
        sent.push(box);
        return {
          postMessage: (m: ToWorker) => box.push(m),
          addEventListener: (type: string, l: (e: never) => void) =>
            void (type === 'message' && listeners.push(l as never)),
          terminate() {},
        } as WorkerLike;
      },
      // A worker per run: what goes to which run's worker is what this test reads.
      { timer: { set: (cb) => void cb(), clear: () => {} }, maxWorkers: Infinity },
    );
    controller.train();
    listeners[0]({
      data: {
        type: 'done',
        runId: 'sgd',
        result: { id: 'sgd', method: 'sgd', status: 'done', history: [], msPerStep: 1 },
      },
    });
    expect(controller.landscape('sgd')).toBe(true);
    expect(controller.landscape('nope')).toBe(false);
    const req = sent[0].at(-1);
    expect(req).toMatchObject({
      type: 'landscape',
      runId: 'sgd',
      kinds: ['weight-1d', 'input-1d', 'weight-2d', 'input-2d', 'sharpness'],
    });
    const requestId = (req as { requestId: string }).requestId;
    expect(store.getState().landscapes.sgd.queued).toEqual([requestId]);
    // Pause-all goes to training workers only.
    controller.pause();
    expect(sent[0].some((m) => m.type === 'pause')).toBe(false);
    expect(sent[1].at(-1)?.type).toBe('pause');
    controller.cancelLandscape('sgd', requestId);
    expect(sent[0].at(-1)).toEqual({ type: 'landscape-cancel', runId: 'sgd', requestId });
    listeners[0]({ data: { type: 'landscape-cancelled', runId: 'sgd', requestId } });
    expect(store.getState().landscapes.sgd.queued).toEqual([]);
    controller.reset();
    expect(store.getState().landscapes).toEqual({});
  });
});
