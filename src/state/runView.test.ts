import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../core/train/results';
import type { FromWorker } from '../worker/protocol';
import { addLoss, EMPTY_LOSS_SERIES, LOSS_SMOOTHING, MAX_LOSS_POINTS } from './lossSeries';
import { applyMessages, etaSeconds, newRunView, type RunView } from './runView';

const point = (epoch: number, cleanAcc: number): HistoryPoint => ({
  epoch,
  step: epoch * 10,
  trainLoss: 1,
  trainAcc: 0.5,
  cleanAcc,
  robust: { 'linf:0.1': cleanAcc / 2 },
});
const progress = (runId: string, step: number, loss: number): FromWorker => ({
  type: 'progress',
  runId,
  step,
  totalSteps: 100,
  epoch: step / 10,
  loss,
  acc: 0.5,
  imagesPerSec: 320,
});

function twoRuns(): Record<string, RunView> {
  return { a: newRunView({ id: 'a', method: 'sgd' }), b: newRunView({ id: 'b', method: 'sam', rho: 0.1 }) };
}

describe('applyMessages', () => {
  it('folds status, progress and metrics in order and leaves other runs untouched', () => {
    const runs = twoRuns();
    const next = applyMessages(runs, [
      { type: 'status', runId: 'a', status: 'training', backend: 'wasm' },
      progress('a', 1, 2.0),
      progress('a', 2, 1.0),
      { type: 'metrics', runId: 'a', point: point(0, 0.1) },
    ]);
    expect(next.b).toBe(runs.b);
    expect(next.a).toMatchObject({ status: 'training', backend: 'wasm', step: 2, totalSteps: 100, loss: 1.0 });
    expect(next.a.history).toHaveLength(1);
    expect(next.a.lossSeries.points.map((p) => p.step)).toEqual([1, 2]);
  });

  it("shows a long evaluation's activity until the next step, point or status", () => {
    const alive = (activity: string): FromWorker => ({ type: 'alive', runId: 'a', activity });
    const at = (...msgs: FromWorker[]) => applyMessages(twoRuns(), msgs).a.activity;
    expect(at(progress('a', 1, 2), alive('evaluation: clean and PGD-10'))).toBe('evaluation: clean and PGD-10');
    expect(at(alive('x'), alive('final evaluation: APGD L∞ 8/255'))).toBe('final evaluation: APGD L∞ 8/255');
    expect(at(alive('x'), progress('a', 2, 1))).toBeUndefined();
    expect(at(alive('x'), { type: 'metrics', runId: 'a', point: point(1, 0.5) })).toBeUndefined();
    expect(at(alive('x'), { type: 'status', runId: 'a', status: 'paused' })).toBeUndefined();
  });

  it('returns the same object when no message names a known run', () => {
    const runs = twoRuns();
    expect(applyMessages(runs, [progress('zzz', 1, 1)])).toBe(runs);
  });

  it('takes the final status from done (diverged) and ignores progress after it', () => {
    const runs = applyMessages(twoRuns(), [
      { type: 'status', runId: 'a', status: 'training' },
      {
        type: 'done',
        runId: 'a',
        result: { id: 'a', method: 'sgd', status: 'diverged', history: [point(0, 0.1)], msPerStep: 5 },
      },
      progress('a', 7, 1),
    ]);
    expect(runs.a.status).toBe('diverged');
    expect(runs.a.step).toBe(0);
    expect(runs.a.history).toHaveLength(1);
    expect(runs.b.status).toBe('queued');
  });

  it('keeps an error status even if a done message follows', () => {
    const runs = applyMessages(twoRuns(), [
      { type: 'error', runId: 'b', kind: 'device-lost', message: 'gone' },
      { type: 'done', runId: 'b', result: { id: 'b', method: 'sam', status: 'stopped', history: [], msPerStep: 0 } },
    ]);
    expect(runs.b.status).toBe('error');
    expect(runs.b.error).toEqual({ kind: 'device-lost', message: 'gone' });
  });

  it('estimates the time left from the speed', () => {
    const [run] = Object.values(
      applyMessages(twoRuns(), [{ type: 'status', runId: 'a', status: 'training' }, progress('a', 20, 1)]),
    );
    // 80 steps of 32 images at 320 images/s
    expect(etaSeconds(run, 32)).toBeCloseTo(8);
  });
});

describe('loss series', () => {
  it('smooths with a bias-corrected EMA and skips non-finite losses', () => {
    let s = addLoss(EMPTY_LOSS_SERIES, 1, 2);
    expect(s.points[0].loss).toBeCloseTo(2); // bias correction: the first point is the loss itself
    s = addLoss(s, 2, NaN);
    expect(s.points).toHaveLength(1);
    s = addLoss(s, 3, 1);
    const a = LOSS_SMOOTHING;
    const ema = a * (1 - a) * 2 + a * 1;
    expect(s.points[1].loss).toBeCloseTo(ema / (1 - (1 - a) ** 2));
  });

  it('never holds more than MAX_LOSS_POINTS points and keeps covering the whole run', () => {
    let s = EMPTY_LOSS_SERIES;
    for (let step = 1; step <= 5000; step++) s = addLoss(s, step, 1);
    expect(s.points.length).toBeLessThanOrEqual(MAX_LOSS_POINTS);
    expect(s.points.length).toBeGreaterThan(MAX_LOSS_POINTS / 4);
    expect(s.points[0].step).toBe(1);
    expect(s.points.at(-1)!.step).toBeGreaterThan(4900);
  });
});
