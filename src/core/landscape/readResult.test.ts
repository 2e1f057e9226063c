import { describe, expect, it } from 'vitest';
import { readLandscapeResult } from './readResult';
import { sampleResults } from './resultFixtures';
import type { LandscapeResult } from './results';

/** The first issue readLandscapeResult gives for `raw` as "path: message", or undefined when it reads. */
function refusal(raw: unknown): string | undefined {
  const read = readLandscapeResult(raw, 'r');
  return read.ok ? undefined : `${read.issues[0].path}: ${read.issues[0].message}`;
}
const reads = (raw: unknown): LandscapeResult => {
  const read = readLandscapeResult(raw, 'r');
  if (!read.ok) throw new Error(JSON.stringify(read.issues));
  return read.result;
};

/** A sample result with some fields replaced (any value: this is untrusted data). */
const edited = (kind: LandscapeResult['kind'], fields: Record<string, unknown>) => ({
  ...sampleResults()[kind],
  ...fields,
});

describe('readLandscapeResult', () => {
  it('reads a result of every kind back as an equal copy, without fields it does not know', () => {
    for (const result of Object.values(sampleResults())) {
      const read = reads({ ...result, extra: 'ignored' });
      expect(read).toEqual(result);
      expect(read).not.toBe(result);
      expect('extra' in read).toBe(false);
    }
  });

  it('keeps non-finite measured losses (a diverged model) but not non-finite axes or counts', () => {
    const diverged = edited('weight-1d', { loss: [NaN, 0.4, Infinity] });
    expect((reads(diverged) as { loss: number[] }).loss).toEqual([NaN, 0.4, Infinity]);
    expect(refusal(edited('sharpness', { hessianTop: NaN, relChange: Infinity, converged: false }))).toBeUndefined();
    expect(refusal(edited('weight-1d', { alphas: [-1, NaN, 1] }))).toBe(
      'r.alphas[1]: must be a number in [-1000000, 1000000], got NaN',
    );
    expect(refusal(edited('input-1d', { ms: Infinity }))).toBe(
      'r.ms: must be a number in [0, 1000000000000], got Infinity',
    );
    expect(refusal(edited('weight-2d', { evals: 2.5 }))).toBe(
      'r.evals: must be an integer in [0, 1000000000], got 2.5',
    );
  });

  it('refuses wrong shapes, kinds and types with the field named', () => {
    expect(refusal(edited('weight-1d', { loss: [1, 2] }))).toBe('r.loss: must hold 3 numbers, got 2');
    expect(refusal(edited('input-1d', { accRand: [1, '1', 1] }))).toBe(
      'r.accRand[1]: must be a number in [0, 1] or null, got "1"',
    );
    expect(refusal(edited('weight-2d', { loss: [[2, 3], [1.5]] }))).toBe('r.loss[1]: must hold 2 numbers, got 1');
    expect(refusal(edited('input-2d', { acc: [[1, 0.875]] }))).toBe('r.acc: must hold 2 rows, got 1');
    expect(refusal(edited('input-2d', { adversary: 'fgsm' }))).toBe(
      'r.adversary: must be one of pgd, gradient-sign, got "fgsm"',
    );
    expect(refusal(edited('sharpness', { converged: 'yes' }))).toBe('r.converged: must be true or false, got "yes"');
    expect(refusal(edited('sharpness', { estimate: { evals: 1 } }))).toBe('r.estimate.gradEvals: is missing');
    expect(refusal(edited('weight-1d', { kind: 'weight-3d' }))).toMatch(/^r\.kind: must be one of weight-1d, /);
    expect(refusal(null)).toBe('r: must be an object');
    expect(refusal([sampleResults().sharpness])).toBe('r: must be an object');
  });
});
