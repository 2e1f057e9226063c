import { describe, expect, it } from 'vitest';
import { UntrustedDataError } from '../untrusted';
import { readLandscapeResult } from './readResult';
import { sampleResults } from './resultFixtures';
import type { LandscapeResult } from './results';

/** The reason readLandscapeResult gives for `raw`, or undefined when it reads. */
function refusal(raw: unknown): string | undefined {
  try {
    readLandscapeResult(raw, 'r');
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(UntrustedDataError);
    return (e as Error).message;
  }
}

/** A sample result with some fields replaced (any value: this is untrusted data). */
const edited = (kind: LandscapeResult['kind'], fields: Record<string, unknown>) => ({ ...sampleResults()[kind], ...fields });

describe('readLandscapeResult', () => {
  it('reads a result of every kind back as an equal copy, without fields it does not know', () => {
    for (const result of Object.values(sampleResults())) {
      const read = readLandscapeResult({ ...result, extra: 'ignored' }, 'r');
      expect(read).toEqual(result);
      expect(read).not.toBe(result);
      expect('extra' in read).toBe(false);
    }
  });

  it('keeps non-finite measured losses (a diverged model) but not non-finite axes or counts', () => {
    const diverged = edited('weight-1d', { loss: [NaN, 0.4, Infinity] });
    expect((readLandscapeResult(diverged, 'r') as { loss: number[] }).loss).toEqual([NaN, 0.4, Infinity]);
    expect(refusal(edited('sharpness', { hessianTop: NaN, relChange: Infinity, converged: false }))).toBeUndefined();
    expect(refusal(edited('weight-1d', { alphas: [-1, NaN, 1] }))).toBe('r.alphas must be a non-empty array of finite numbers');
    expect(refusal(edited('input-1d', { ms: Infinity }))).toBe('r.ms must be a number >= 0');
    expect(refusal(edited('weight-2d', { evals: 2.5 }))).toBe('r.evals must be an integer >= 0');
  });

  it('refuses wrong shapes, kinds and types with the field named', () => {
    expect(refusal(edited('weight-1d', { loss: [1, 2] }))).toBe('r.loss must be an array of 3 numbers');
    expect(refusal(edited('input-1d', { accRand: [1, '1', 1] }))).toBe('r.accRand must be an array of 3 numbers');
    expect(refusal(edited('weight-2d', { loss: [[2, 3], [1.5]] }))).toBe('r.loss[1] must be an array of 2 numbers');
    expect(refusal(edited('input-2d', { acc: [[1, 0.875]] }))).toBe('r.acc must be an array of 2 rows');
    expect(refusal(edited('input-2d', { adversary: 'fgsm' }))).toBe('r.adversary must be one of pgd, gradient-sign');
    expect(refusal(edited('sharpness', { converged: 'yes' }))).toBe('r.converged must be true or false');
    expect(refusal(edited('sharpness', { estimate: { evals: 1 } }))).toBe('r.estimate.gradEvals must be an integer >= 0');
    expect(refusal(edited('weight-1d', { kind: 'weight-3d' }))).toMatch(/^r\.kind must be one of weight-1d, /);
    expect(refusal(null)).toBe('r must be an object');
    expect(refusal([sampleResults().sharpness])).toBe('r must be an object');
  });
});
