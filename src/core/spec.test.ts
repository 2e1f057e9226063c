import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, attackKey, formatIssues, parseSpec, validateSpec, type ExperimentSpec } from './spec';

const clone = (): ExperimentSpec => structuredClone(DEFAULT_SPEC);

describe('experiment spec', () => {
  it('accepts the default spec unchanged and round-trips through JSON', () => {
    const v = validateSpec(JSON.parse(JSON.stringify(DEFAULT_SPEC)));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.spec).toEqual(DEFAULT_SPEC);
  });

  it('fills missing fields from defaults', () => {
    const v = validateSpec({ seed: 7, runs: [{ id: 'a', method: 'sam' }] });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.spec.seed).toBe(7);
    expect(v.spec.runs).toEqual([{ id: 'a', method: 'sam', rho: 0.05 }]);
    expect(v.spec.train).toEqual(DEFAULT_SPEC.train);
  });

  it.each([
    [{ runs: [{ id: 'x', method: 'adam' }] }, 'runs[0].method'],
    [{ runs: [{ id: 'x', method: 'at', eps: 1.5 }] }, 'runs[0].eps'],
    [{ runs: [{ id: 'x', method: 'at', steps: 2.5 }] }, 'runs[0].steps'],
    [{ runs: [{ id: 'x', method: 'sgd', lr: 0 }] }, 'runs[0].lr'],
    [{ train: { batchSize: 0 } }, 'train.batchSize'],
    [{ train: { lr: -1 } }, 'train.lr'],
    [{ train: { schedule: 'linear' } }, 'train.schedule'],
    [{ dataset: { name: 'imagenet' } }, 'dataset.name'],
    [{ eval: { attacks: [{ norm: 'l1', eps: 0.1 }] } }, 'eval.attacks[0].norm'],
    [{ seed: -3 }, 'seed'],
    [{ seed: 'abc' }, 'seed'],
    [{ runs: [] }, 'runs'],
    [{ runs: [{ id: 'has space', method: 'sgd' }] }, 'runs[0].id'],
    [{ train: { epochs: 1, lr: 0.1, colour: 'red' } }, 'train.colour'],
    [
      {
        runs: [
          { id: 'a', method: 'sgd' },
          { id: 'a', method: 'sam' },
        ],
      },
      'runs[1].id',
    ],
    [{ dataset: { name: 'mnist', trainSize: 9000, testSize: 2000 } }, 'dataset.testSize'],
    [{ dataset: { name: 'cifar10', trainSize: 60000 } }, 'dataset.trainSize'],
    [{ dataset: { name: 'toy' }, model: { name: 'cnn' } }, 'model.name'],
    [{ dataset: { testSize: 100 }, eval: { subsetSize: 200 } }, 'eval.subsetSize'],
  ])('rejects %j naming %s', (raw, path) => {
    const v = validateSpec(raw);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.issues.map((i) => i.path)).toContain(path);
  });

  it("keeps a run's own learning rate, above train.lr's range if asked", () => {
    const v = validateSpec({
      runs: [
        { id: 'wild', method: 'sgd', lr: 5000 },
        { id: 'calm', method: 'sam', rho: 0.1 },
      ],
    });
    expect(v.ok).toBe(true);
    if (v.ok)
      expect(v.spec.runs).toEqual([
        { id: 'wild', method: 'sgd', lr: 5000 },
        { id: 'calm', method: 'sam', rho: 0.1 },
      ]);
  });

  it('rejects a non-object', () => {
    for (const raw of [null, 3, 'spec', [1, 2]]) expect(validateSpec(raw).ok).toBe(false);
  });

  it('restores untrusted input field by field, keeping the good fields', () => {
    const raw = { ...clone(), seed: 42, train: { ...clone().train, lr: 'fast', epochs: 3 } } as unknown;
    const { spec, issues } = parseSpec(raw);
    expect(spec.seed).toBe(42);
    expect(spec.train.epochs).toBe(3);
    expect(spec.train.lr).toBe(DEFAULT_SPEC.train.lr);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('train.lr');
    // The result is always valid.
    expect(validateSpec(spec).ok).toBe(true);
  });

  it('never throws on junk and always yields a valid spec', () => {
    const junk: unknown[] = [
      undefined,
      null,
      0,
      'x',
      [],
      {},
      { runs: 'no' },
      { runs: [null, 5, { method: 'at', eps: NaN }] },
      { dataset: [] },
      { model: { width: 1e9 } },
      { version: 99, seed: 1 },
      { eval: { attacks: [1, null] } },
    ];
    for (const raw of junk) {
      const { spec } = parseSpec(raw);
      expect(validateSpec(spec).ok).toBe(true);
    }
  });

  it('takes only own keys: keys named like Object.prototype members are unknown fields', () => {
    const v = validateSpec(
      JSON.parse('{"__proto__":{"seed":5},"constructor":1,"train":{"toString":2,"hasOwnProperty":3}}'),
    );
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.issues.map((i) => i.path).sort()).toEqual([
        '__proto__',
        'constructor',
        'train.hasOwnProperty',
        'train.toString',
      ]);
    const { spec } = parseSpec(JSON.parse('{"__proto__":{"polluted":1},"seed":3}'));
    expect(spec.seed).toBe(3);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps messages short: values quoted cut, a few issues then "and K more", any depth', () => {
    const longId = 'x'.repeat(1_000_000);
    const one = validateSpec({ runs: [{ id: longId, method: 'sgd' }] });
    expect(one.ok).toBe(false);
    if (!one.ok) expect(formatIssues(one.issues).length).toBeLessThan(200);
    const many = validateSpec(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));
    expect(many.ok).toBe(false);
    if (!many.ok) {
      const text = formatIssues(many.issues);
      expect(text.length).toBeLessThan(2000);
      expect(text).toMatch(/\nand 19994 more$/);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { train: deep };
    const nested = validateSpec(deep);
    expect(nested.ok).toBe(false);
    if (!nested.ok) expect(formatIssues(nested.issues).length).toBeLessThan(2000);
  });

  it('writes the robust key with eps exactly as in the spec', () => {
    expect(attackKey({ norm: 'linf', eps: 8 / 255 })).toBe(`linf:${8 / 255}`);
    expect(attackKey({ norm: 'l2', eps: 0.5 })).toBe('l2:0.5');
  });

  describe('eval.during', () => {
    it.each([
      [{ subsetSize: 0 }, 'eval.during.subsetSize'],
      [{ subsetSize: 20_001 }, 'eval.during.subsetSize'],
      [{ subsetSize: 12.5 }, 'eval.during.subsetSize'],
      [{ subsetSize: '100' }, 'eval.during.subsetSize'],
      [{ subsetSize: null }, 'eval.during.subsetSize'],
      [{ pgdSteps: 0 }, 'eval.during.pgdSteps'],
      [{ pgdSteps: 201 }, 'eval.during.pgdSteps'],
      [{ pgdSteps: 2.5 }, 'eval.during.pgdSteps'],
      [{ pgdSteps: -3 }, 'eval.during.pgdSteps'],
      [{ pgdSteps: Number.NaN }, 'eval.during.pgdSteps'],
      [{ subsetSize: 50, every: 2 }, 'eval.during.every'],
      [{ attacks: [] }, 'eval.during.attacks'],
    ])('rejects during %j naming %s, and nothing else', (during, path) => {
      const v = validateSpec({ eval: { during } });
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.issues.map((i) => i.path)).toEqual([path]);
    });

    it.each([5, 'fast', null, [], [3, 3], true])('rejects a during that is not an object (%j)', (during) => {
      const v = validateSpec({ eval: { during } });
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.issues.map((i) => i.path)).toEqual(['eval.during']);
      // Parsing falls back to the default.
      expect(parseSpec({ eval: { during } }).spec.eval.during).toEqual(DEFAULT_SPEC.eval.during);
    });

    it('accepts the bounds of both fields', () => {
      for (const during of [
        { subsetSize: 1, pgdSteps: 1 },
        { subsetSize: 20_000, pgdSteps: 200 },
      ]) {
        const v = validateSpec({ eval: { during } });
        expect(v.ok).toBe(true);
        if (v.ok) expect(v.spec.eval.during).toEqual(during);
      }
    });

    it('takes the default when during, or one of its fields, is missing', () => {
      const none = validateSpec({ eval: { subsetSize: 200, pgdSteps: 20 } });
      expect(none.ok).toBe(true);
      if (none.ok) expect(none.spec.eval.during).toEqual(DEFAULT_SPEC.eval.during);
      const half = validateSpec({ eval: { during: { subsetSize: 40 } } });
      expect(half.ok).toBe(true);
      if (half.ok)
        expect(half.spec.eval.during).toEqual({ subsetSize: 40, pgdSteps: DEFAULT_SPEC.eval.during.pgdSteps });
      // A spec written before `during` existed (no field at all) still validates.
      const old = JSON.parse(JSON.stringify(DEFAULT_SPEC)) as { eval: Record<string, unknown> };
      delete old.eval.during;
      expect(validateSpec(old).ok).toBe(true);
    });

    it('keeps a good during field beside a bad one when parsing untrusted input', () => {
      const { spec, issues } = parseSpec({ eval: { during: { subsetSize: 40, pgdSteps: 1e9, colour: 'red' } } });
      expect(spec.eval.during).toEqual({ subsetSize: 40, pgdSteps: DEFAULT_SPEC.eval.during.pgdSteps });
      expect(issues.map((i) => i.path).sort()).toEqual(['eval.during.colour', 'eval.during.pgdSteps']);
      expect(validateSpec(spec).ok).toBe(true);
    });

    it('takes during from the defaults it is given', () => {
      const defaults = clone();
      defaults.eval.during = { subsetSize: 17, pgdSteps: 2 };
      expect(parseSpec({}, defaults).spec.eval.during).toEqual({ subsetSize: 17, pgdSteps: 2 });
      expect(parseSpec({ eval: { during: { pgdSteps: 5 } } }, defaults).spec.eval.during).toEqual({
        subsetSize: 17,
        pgdSteps: 5,
      });
    });
  });
});
