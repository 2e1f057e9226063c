import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../core/spec';
import { specFromHash } from './hashSpec';

describe('spec in the URL hash', () => {
  it('round-trips a spec', () => {
    const spec = structuredClone(DEFAULT_SPEC);
    spec.train.lr = 0.01;
    spec.runs = [{ id: 'only', method: 'sam', rho: 0.2 }];
    expect(specFromHash(`#spec=${encodeURIComponent(JSON.stringify(spec))}`, DEFAULT_SPEC)).toEqual({ spec });
  });

  it('is absent without a spec parameter', () => {
    expect(specFromHash('', DEFAULT_SPEC)).toBeUndefined();
    expect(specFromHash('#other=1', DEFAULT_SPEC)).toBeUndefined();
  });

  it('replaces bad fields by defaults and names them; broken JSON gives the defaults', () => {
    const bad = specFromHash(
      `#spec=${encodeURIComponent(JSON.stringify({ train: { lr: -3, epochs: 2 } }))}`,
      DEFAULT_SPEC,
    )!;
    expect(bad.spec.train.lr).toBe(DEFAULT_SPEC.train.lr);
    expect(bad.spec.train.epochs).toBe(2);
    expect(bad.message).toContain('train.lr');
    const broken = specFromHash('#spec=%7Bnot-json', DEFAULT_SPEC)!;
    expect(broken.spec).toEqual(DEFAULT_SPEC);
    expect(broken.message).toMatch(/not valid JSON/);
  });
});
