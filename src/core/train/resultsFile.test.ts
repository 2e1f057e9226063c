import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, attackKey, type ExperimentSpec } from '../spec';
import { twoRunResults } from './resultFixtures';
import { parseResults, parseResultsText, resultsToCsv, resultsToJson } from './resultsFile';

const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_SPEC),
  eval: { ...DEFAULT_SPEC.eval, attacks: [{ norm: 'linf', eps: 2 / 255 }] },
  runs: [
    { id: 'sgd', method: 'sgd' },
    { id: 'sam', method: 'sam', rho: 0.1 },
  ],
};
const key = attackKey(spec.eval.attacks[0]);
const results = twoRunResults(spec);

describe('results file', () => {
  it('round-trips through JSON (NaN written as null and read back as NaN)', () => {
    const text = resultsToJson(results);
    expect(text).toContain('"trainLoss": null');
    const read = parseResultsText(text);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.results).toEqual(results);
  });

  it('refuses malformed files with the reason', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits arbitrary fields of a parsed file
    const bad = (edit: (r: Record<string, any>) => void) => {
      const raw = JSON.parse(resultsToJson(results));
      edit(raw);
      const read = parseResults(raw);
      return read.ok ? 'accepted' : read.reason;
    };
    expect(parseResultsText('{"spec": ').ok).toBe(false);
    expect((parseResultsText('{"spec": ') as { reason: string }).reason).toMatch(/not valid JSON/);
    expect(parseResults([])).toEqual({ ok: false, reason: expect.stringMatching(/JSON object/) });
    expect(bad((r) => delete r.spec)).toMatch(/no spec/);
    expect(bad((r) => (r.spec.train.lr = -1))).toMatch(/spec is not valid:\ntrain.lr/);
    expect(bad((r) => (r.backend = 'tpu'))).toMatch(/backend: must be one of/);
    expect(bad((r) => (r.runs = {}))).toMatch(/runs: must be a list/);
    expect(bad((r) => (r.runs[0].id = 'zzz'))).toMatch(/runs\[0\]\.id: must name a run of the spec/);
    expect(bad((r) => (r.runs[1].method = 'at'))).toMatch(/runs\[1\]\.method: must be "sam"/);
    expect(bad((r) => (r.runs[0].status = 'great'))).toMatch(/runs\[0\]\.status/);
    expect(bad((r) => (r.runs[0].msPerStep = '5'))).toMatch(/msPerStep/);
    expect(bad((r) => (r.runs[0].history[1].cleanAcc = 'high'))).toMatch(
      /runs\[0\]\.history\[1\]\.cleanAcc: must be a number in \[0, 1\], got \"high\"/,
    );
    expect(bad((r) => (r.runs[0].history[1].robust = { 'l2:9': 0.5 }))).toMatch(/not an attack of the spec/);
    expect(bad((r) => (r.runs[0].history[1].robust[key] = 1.5))).toMatch(
      /robust\["linf:0\.00784\d*"\]: must be a number in \[0, 1\], got 1\.5/,
    );
    expect(bad((r) => (r.runs[0].history[1].step = -3))).toMatch(/step: must be an integer in \[0, 50000000\], got -3/);
    expect(bad((r) => r.runs[0].history.reverse())).toMatch(/goes backwards/);
    expect(bad((r) => r.runs.push(r.runs[0]))).toMatch(/twice/);
  });

  it('refuses impossible metrics: accuracies outside [0, 1], epochs past the spec, absurd steps', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits arbitrary fields of a parsed file
    const bad = (edit: (r: Record<string, any>) => void) => {
      const raw = JSON.parse(resultsToJson(results));
      edit(raw);
      const read = parseResults(raw);
      return read.ok ? 'accepted' : read.reason;
    };
    expect(bad((r) => (r.runs[0].history[1].cleanAcc = 1e308))).toMatch(
      /runs\[0\]\.history\[1\]\.cleanAcc: must be a number in \[0, 1\], got 1e\+308/,
    );
    expect(bad((r) => (r.runs[0].history[1].trainAcc = -5))).toMatch(
      /trainAcc: must be a number in \[0, 1\] or null, got -5/,
    );
    expect(bad((r) => (r.runs[0].history[1].trainLoss = -1))).toMatch(
      /trainLoss: must be a number in \[0, 1e\+30\] or null/,
    );
    expect(bad((r) => (r.runs[0].history[1].epoch = 1e9))).toMatch(/epoch: must be a number in \[0, 500\]/);
    expect(bad((r) => (r.runs[0].history[1].epoch = 7))).toMatch(/epoch: must not exceed the spec's 6 epochs, got 7/);
    expect(bad((r) => (r.runs[0].msPerStep = -1))).toMatch(/msPerStep: must be a number in \[0, 1000000000\]/);
    expect(
      bad(
        (r) =>
          (r.runs[0].history[1].robust = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 0.5]))),
      ),
    ).toMatch(/robust: must have at most 32 entries, got 100/);
    expect(bad((r) => (r.runs[0].extra = 1))).toMatch(/runs\[0\]\.extra: is not a known field/);
  });

  it('writes every curve to CSV, one row per run, curve and evaluation', () => {
    const lines = resultsToCsv(results).trim().split('\n');
    expect(lines[0]).toBe('run,method,curve,epoch,step,value');
    // sgd: 2 points x (trainLoss, trainAcc, cleanAcc, robust) + cleanLoss once; sam: none.
    expect(lines).toHaveLength(1 + 2 * 4 + 1);
    expect(lines).toContain('sgd,sgd,trainLoss,0,0,'); // NaN is an empty cell
    expect(lines).toContain('sgd,sgd,cleanLoss,1,8,0.9');
    expect(lines).toContain(`sgd,sgd,robust:${key},1,8,0.4`);
    expect(lines).toContain('sgd,sgd,cleanAcc,1,8,0.7');
  });
});
