import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, PRESETS } from './presets';
import { validateSpec } from './spec';

describe('presets', () => {
  it('are all valid specs with distinct ids, and the default exists and needs no download', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      const checked = validateSpec(p.spec);
      expect(checked.ok ? [] : checked.issues, p.id).toEqual([]);
      expect(p.description.split('. ').length, p.id).toBeGreaterThanOrEqual(2);
    }
    const def = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!;
    expect(['shapes', 'toy']).toContain(def.spec.dataset.name);
    expect(def.spec.runs.map((r) => r.method)).toEqual(['sgd', 'sam', 'at']);
  });
});
