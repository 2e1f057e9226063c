import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET_ID, PRESETS } from './presets';
import { validateSpec } from './spec';

describe('presets', () => {
  it('are all valid specs with distinct ids, each with the SGD baseline its gaps are measured to, and the default exists and needs no download', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      const checked = validateSpec(p.spec);
      expect(checked.ok ? [] : checked.issues, p.id).toEqual([]);
      // npm run check-preset reports every run's gap to the SGD run of the same seed.
      expect(
        p.spec.runs.filter((r) => r.method === 'sgd'),
        p.id,
      ).toHaveLength(1);
      expect(p.title.trim().length > 0 && p.description.trim().length > 0, p.id).toBe(true);
    }
    const def = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!;
    expect(['shapes', 'toy']).toContain(def.spec.dataset.name);
    expect(def.spec.runs.map((r) => r.method)).toEqual(['sgd', 'sam', 'at']);
  });

  it("include the paper's setting, marked export only", () => {
    const paper = PRESETS.find((p) => p.exportOnly)!;
    expect(paper.title).toBe("The paper's setting (export only)");
    expect(paper.spec).toMatchObject({
      dataset: { name: 'cifar10', trainSize: 50_000, testSize: 10_000 },
      model: { name: 'preact-resnet18', width: 64 },
      train: { epochs: 100, batchSize: 128, lr: 0.1, schedule: 'piecewise', weightDecay: 5e-4 },
      eval: { pgdSteps: 10 },
    });
    expect(
      paper.spec.runs.map((r) => (r.method === 'sam' ? r.rho : r.method === 'at' ? Math.round(r.eps * 255) : 'sgd')),
    ).toEqual(['sgd', 0.05, 0.1, 0.2, 1, 2, 8]);
    expect(PRESETS.filter((p) => p.exportOnly)).toEqual([paper]);
  });
});
