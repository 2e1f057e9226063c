import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, parseSpec, SPEC_VERSION } from './spec';
import { migrateSpec, SPEC_MIGRATIONS } from './specMigrations';

describe('spec migrations', () => {
  it('cover every older version, each one step up, up to the current one', () => {
    for (let v = 1; v < SPEC_VERSION; v++) {
      expect(SPEC_MIGRATIONS[v], `migration ${v} -> ${v + 1}`).toBeTypeOf('function');
      expect(SPEC_MIGRATIONS[v]({ version: v }).version).toBe(v + 1);
    }
    expect(SPEC_MIGRATIONS[SPEC_VERSION]).toBeUndefined();
    expect(migrateSpec({ version: 1 }).version).toBe(SPEC_VERSION);
  });

  it("1 -> 2: a version-1 experiment keeps Madry's fixed PGD step, and runs as it ran", () => {
    const v1 = { ...structuredClone(DEFAULT_SPEC), version: 1 } as Record<string, unknown>;
    delete (v1.eval as Record<string, unknown>).pgdSchedule;
    const before = structuredClone(v1);
    const { spec, issues } = parseSpec(v1);
    expect(issues).toEqual([]);
    expect(spec.eval.pgdSchedule).toBe('madry');
    expect(spec.version).toBe(SPEC_VERSION);
    // Everything else as it was; the caller's object untouched.
    expect({ ...spec, eval: { ...spec.eval, pgdSchedule: undefined } }).toEqual({
      ...DEFAULT_SPEC,
      eval: { ...DEFAULT_SPEC.eval, pgdSchedule: undefined },
    });
    expect(v1).toEqual(before);
    // A version-1 spec with no eval at all gets the default evaluation, with the old step.
    expect(parseSpec({ version: 1, seed: 3 }).spec.eval).toEqual({ ...DEFAULT_SPEC.eval, pgdSchedule: 'madry' });
  });

  it('2 -> 3: a version-2 experiment keeps its cosine from eps, named or by default; a fixed step stays fixed', () => {
    const v2 = { ...structuredClone(DEFAULT_SPEC), version: 2 } as Record<string, unknown>;
    const before = structuredClone(v2);
    const named = parseSpec(v2);
    expect(named.issues).toEqual([]);
    expect(named.spec.eval.pgdSchedule).toBe('cosine-eps');
    expect(named.spec.version).toBe(SPEC_VERSION);
    expect({ ...named.spec, eval: { ...named.spec.eval, pgdSchedule: 'cosine' } }).toEqual(DEFAULT_SPEC);
    expect(v2).toEqual(before);
    expect(parseSpec({ version: 2, seed: 3 }).spec.eval.pgdSchedule).toBe('cosine-eps');
    expect(parseSpec({ version: 2, eval: { pgdSchedule: 'madry' } }).spec.eval.pgdSchedule).toBe('madry');
  });

  it('a current or unversioned spec without the field takes the cosine default; a bad value is an issue', () => {
    expect(parseSpec({ version: SPEC_VERSION, seed: 3 }).spec.eval.pgdSchedule).toBe('cosine');
    expect(parseSpec({ seed: 3 }).spec.eval.pgdSchedule).toBe('cosine');
    const bad = parseSpec({ version: 1, eval: { pgdSchedule: 'fast' } });
    expect(bad.spec.eval.pgdSchedule).toBe('cosine');
    expect(bad.issues.map((i) => i.path)).toEqual(['eval.pgdSchedule']);
  });
});
