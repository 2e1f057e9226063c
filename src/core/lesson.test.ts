import { describe, expect, it } from 'vitest';
import { LESSON_DATASETS, lessonSteps, offeredLessonDatasets } from './lesson';
import { DEFAULT_PRESET_ID, PRESETS } from './presets';
import { DATASET_LIMITS, validateSpec } from './spec';

const preset = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.spec;

describe('the guided lesson', () => {
  for (const dataset of ['shapes', 'cifar10'] as const) {
    it(`has seven valid steps, each with its own id, title and text, and a small experiment (${dataset})`, () => {
      const steps = lessonSteps(dataset);
      expect(steps).toHaveLength(7);
      for (const field of ['id', 'title', 'text'] as const)
        expect(new Set(steps.map((s) => s[field].trim())).size, field).toBe(7);
      for (const s of steps) {
        const checked = validateSpec(s.spec);
        expect(checked.ok ? [] : checked.issues, s.id).toEqual([]);
        expect(s.spec.dataset.name, s.id).toBe(dataset);
        // No heavier than the default preset (a few minutes on wasm), whose runs were checked across seeds: at most 5 runs.
        const stepsOf = (e: typeof s.spec) => Math.ceil(e.dataset.trainSize / e.train.batchSize) * e.train.epochs;
        expect(stepsOf(s.spec), s.id).toBeLessThanOrEqual(stepsOf(preset));
        expect(s.spec.runs.length, s.id).toBeLessThanOrEqual(5);
        const evalCost = (e: typeof s.spec) => e.eval.subsetSize * e.eval.pgdSteps * e.eval.attacks.length;
        expect(evalCost(s.spec), s.id).toBeLessThanOrEqual(evalCost(preset));
        expect(s.spec.dataset.trainSize).toBeLessThanOrEqual(DATASET_LIMITS[s.spec.dataset.name].train);
      }
    });
  }

  it('is on the shapes by default and offers only the variants with a checked claim', () => {
    expect(lessonSteps()[0].spec.dataset.name).toBe('shapes');
    expect(offeredLessonDatasets()[0]).toBe('shapes');
    for (const d of offeredLessonDatasets()) expect(LESSON_DATASETS[d].checked, d).toMatch(/seed/);
  });

  it('tells the story: SGD alone, then AT, SAM, all three with landscapes, the trade-off, then the duality on the trained model', () => {
    const steps = lessonSteps();
    const methods = steps.map((s) => s.spec.runs.map((r) => r.method).join(','));
    expect(methods).toEqual(['sgd', 'sgd', 'sgd,at', 'sgd,sam', 'sgd,sam,at', 'sgd,sam,sam,at,at', 'sgd,sam,at']);
    expect(steps[0].spec.eval.attacks).toEqual([]);
    expect(steps[1].spec.eval.attacks.length).toBeGreaterThan(1);
    expect(steps.map((s) => s.spec.landscape.when)).toEqual([
      'never',
      'never',
      'never',
      'never',
      'end',
      'never',
      'never',
    ]);
    // Every step shares the seed, data and model, so the same SGD run is the baseline throughout.
    for (const s of steps) {
      expect(s.spec.seed).toBe(steps[0].spec.seed);
      expect(s.spec.model).toEqual(steps[0].spec.model);
      expect(s.spec.dataset).toEqual(steps[0].spec.dataset);
    }
  });

  it('returns fresh objects: editing one step does not change the next call', () => {
    const a = lessonSteps();
    a[2].spec.runs.push({ id: 'x', method: 'sgd' });
    a[2].spec.eval.attacks.push({ norm: 'l2', eps: 0.5 });
    const b = lessonSteps();
    expect(b[2].spec.runs).toHaveLength(2);
    expect(b[1].spec.eval.attacks).toHaveLength(3);
  });
});
