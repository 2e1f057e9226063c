import { describe, expect, it } from 'vitest';
import { decideBackend, type BackendMeasurement } from './backend';

describe('decideBackend', () => {
  it('picks the backend with the smallest ms/step, whatever its position', () => {
    const times: BackendMeasurement[] = [
      { backend: 'wasm', msPerStep: 60 },
      { backend: 'webgpu', msPerStep: 12 },
      { backend: 'webgl', msPerStep: 30 },
      { backend: 'cpu', msPerStep: 400 },
    ];
    // Every rotation of the list gives the same winner.
    for (let r = 0; r < times.length; r++) {
      const rotated = [...times.slice(r), ...times.slice(0, r)];
      const d = decideBackend(rotated);
      expect(d?.backend).toBe('webgpu');
      // The measurements come back as given (the run card lists them).
      expect(d?.measurements).toEqual(rotated);
    }
  });

  it('returns undefined when no backend has a finite time', () => {
    expect(decideBackend([])).toBeUndefined();
    expect(
      decideBackend([
        { backend: 'wasm', note: 'did not start' },
        { backend: 'webgpu', msPerStep: NaN },
        { backend: 'webgl', msPerStep: Infinity },
        { backend: 'cpu', msPerStep: -Infinity },
      ]),
    ).toBeUndefined();
  });

  it('ignores entries without a time or with a non-finite one, even when they would compare smaller', () => {
    // -Infinity and NaN would win (or poison) a naive minimum.
    const d = decideBackend([
      { backend: 'webgpu', msPerStep: -Infinity, note: 'broken clock' },
      { backend: 'webgl', msPerStep: NaN },
      { backend: 'cpu' },
      { backend: 'wasm', msPerStep: 250 },
    ]);
    expect(d?.backend).toBe('wasm');
  });

  it('gives a tie to the backend listed first', () => {
    expect(
      decideBackend([
        { backend: 'webgl', msPerStep: 20 },
        { backend: 'wasm', msPerStep: 20 },
      ])?.backend,
    ).toBe('webgl');
    expect(
      decideBackend([
        { backend: 'wasm', msPerStep: 20 },
        { backend: 'webgl', msPerStep: 20 },
      ])?.backend,
    ).toBe('wasm');
  });

  it('names the winner with its rounded time, and every other backend with its time and note', () => {
    const d = decideBackend([
      { backend: 'wasm', msPerStep: 59.6 },
      { backend: 'webgpu', msPerStep: 3899.5, note: 'software renderer' },
      { backend: 'webgl', note: 'did not start' },
    ]);
    expect(d?.backend).toBe('wasm');
    const reason = d!.reason;
    // The winner comes first, with its time rounded to a whole ms.
    expect(reason.startsWith('wasm: 60 ms/step')).toBe(true);
    // Thousands separator, rounded: 3899.5 -> "3,900".
    expect(reason).toContain('webgpu 3,900 ms/step: software renderer');
    expect(reason).toContain('webgl: did not start');
    // Each backend is named exactly once.
    for (const b of ['wasm', 'webgpu', 'webgl']) expect(reason.split(b).length - 1).toBe(1);
    expect(reason).not.toContain('cpu');
    expect(reason).not.toContain('59.6');
  });

  it("formats large times with separators and names the winner's own note", () => {
    const d = decideBackend([
      { backend: 'cpu', msPerStep: 1_234_567.4 },
      { backend: 'webgl', msPerStep: 1_000_000, note: 'software renderer' },
    ]);
    expect(d?.backend).toBe('webgl');
    expect(d?.reason).toContain('webgl (software renderer): 1,000,000 ms/step');
    expect(d?.reason).toContain('cpu 1,234,567 ms/step');
  });

  it('gives a bare reason when the winner is the only backend', () => {
    const d = decideBackend([{ backend: 'cpu', msPerStep: 7 }]);
    expect(d).toEqual({ backend: 'cpu', reason: 'cpu: 7 ms/step', measurements: [{ backend: 'cpu', msPerStep: 7 }] });
  });

  it('does not modify the measurements it is given', () => {
    const m: BackendMeasurement[] = [{ backend: 'webgl', msPerStep: 5, note: 'x' }, { backend: 'wasm' }];
    const copy = structuredClone(m);
    decideBackend(m);
    expect(m).toEqual(copy);
  });
});
