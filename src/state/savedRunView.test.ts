import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import type { HistoryPoint } from '../core/train/results';
import { applyMessages, newRunView, type RunView } from './runView';
import { readSavedRunView } from './savedRunView';

const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_SPEC),
  runs: [
    { id: 'a', method: 'sgd' },
    { id: 'b', method: 'sam', rho: 0.05 },
  ],
};
const point = (step: number, trainLoss: number): HistoryPoint => ({
  epoch: step / 10,
  step,
  trainLoss,
  trainAcc: 0.5,
  cleanAcc: 0.4,
  robust: {},
});

/** A run view as the page builds it from its worker's messages (what persistence saves). */
function trainedView(): RunView {
  const runs = applyMessages({ a: newRunView(spec.runs[0]) }, [
    { type: 'status', runId: 'a', status: 'training', backend: 'wasm' },
    { type: 'metrics', runId: 'a', point: point(0, NaN) },
    { type: 'progress', runId: 'a', step: 3, totalSteps: 10, epoch: 0.3, loss: 1.5, acc: 0.25, imagesPerSec: 80 },
    { type: 'progress', runId: 'a', step: 4, totalSteps: 10, epoch: 0.4, loss: Infinity, acc: 0.25, imagesPerSec: 80 },
    { type: 'metrics', runId: 'a', point: point(4, Infinity) },
    {
      type: 'done',
      runId: 'a',
      result: {
        id: 'a',
        method: 'sgd',
        status: 'diverged',
        history: [point(0, NaN), point(4, Infinity)],
        msPerStep: 2,
      },
    },
  ]);
  return runs.a;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests edit arbitrary fields of a saved view
const edited = (edit: (v: Record<string, any>) => void) => {
  const raw = structuredClone(trainedView()) as unknown as Record<string, unknown>;
  edit(raw);
  const read = readSavedRunView(raw, 'a', spec);
  return read.ok ? 'read' : read.reason;
};

describe('a saved run view read back', () => {
  it('reads the view the page saved (NaN and infinite losses of a diverged run included) into an equal one', () => {
    const view = trainedView();
    const read = readSavedRunView(structuredClone(view), 'a', spec);
    expect(read).toEqual({ ok: true, view });
  });

  it('keeps only the known fields and takes the run spec from the experiment', () => {
    const raw = { ...structuredClone(trainedView()), spec: { id: 'a', method: 'sgd', label: 'edited' }, extra: 1 };
    const read = readSavedRunView(raw, 'a', spec);
    expect(read.ok && read.view.spec).toBe(spec.runs[0]);
    expect(read.ok && 'extra' in read.view).toBe(false);
  });

  it('refuses a view that does not read, naming the field', () => {
    expect(readSavedRunView(trainedView(), 'c', spec)).toEqual({
      ok: false,
      reason: 'run "c" is not a run of the experiment',
    });
    expect(readSavedRunView('junk', 'a', spec)).toEqual({ ok: false, reason: 'run "a" must be an object' });
    expect(edited((v) => (v.id = 'b'))).toBe('run "a".id: must be "a"');
    // The view's history and its result's are one array (kept shared by the structured clone): both named.
    expect(edited((v) => (v.history[1].cleanAcc = 'high'))).toBe(
      'run "a".history[1].cleanAcc: must be a number in [0, 1], got "high"\nrun "a".result.history[1].cleanAcc: must be a number in [0, 1], got "high"',
    );
    expect(edited((v) => (v.status = 'great'))).toMatch(/^run "a"\.status: must be one of/);
    expect(edited((v) => (v.error = { message: 'x', kind: 'mystery' }))).toMatch(
      /^run "a"\.error\.kind: must be one of exception, device-lost, protocol, crash, unreadable, got "mystery"/,
    );
    // The view's history is its result's (one array, kept shared by the structured clone): edited apart.
    expect(edited((v) => (v.result.history = [{ ...v.history[0], robust: { 'l2:9': 0.5 } }]))).toMatch(
      /^run "a"\.result\.history\[0\]\.robust: has "l2:9"/,
    );
    expect(edited((v) => (v.result = { ...v.result, id: 'b', method: 'sam' }))).toBe('run "a".result.id: must be "a"');
    expect(edited((v) => (v.backend = 'tpu'))).toMatch(/^run "a"\.backend: must be one of/);
    expect(edited((v) => (v.step = 2.5))).toBe('run "a".step: must be an integer in [0, 50000000], got 2.5');
    expect(edited((v) => (v.loss = '1'))).toBe('run "a".loss: must be a number in [0, 1e+30] or null, got "1"');
    expect(edited((v) => (v.lossSeries.stride = 0))).toBe(
      'run "a".lossSeries.stride: must be an integer in [1, 50000000], got 0',
    );
    expect(edited((v) => (v.lossSeries.points[0].loss = NaN))).toMatch(
      /^run "a"\.lossSeries\.points\[0\]\.loss: must be a number/,
    );
  });
});
