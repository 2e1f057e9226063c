// The committed recordings (public/recorded/, `npm run record`): each lesson step has one, made
// from the step's current spec, and read by the page's own parser; recording a tiny version of each
// step again gives files of the same shape (runs, curves, attacks, landscape kinds).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lessonSteps } from '../src/core/lesson';
import { recordingFile, type Recording } from '../src/core/recording';
import type { ExperimentSpec } from '../src/core/spec';
import { parseRecording, recordsSpec } from '../src/state/recordedRun';
import { useBackend } from './lib/nodeBackend';
import { defaultSources, record, recordingSpecs, recordingToJson, type RunCache } from './lib/record';

const DIR = path.resolve(__dirname, '..', 'public', 'recorded');

function committed(source: string): Recording {
  const parsed = parseRecording(JSON.parse(readFileSync(path.join(DIR, recordingFile(source)), 'utf8')));
  if (!parsed.ok) throw new Error(`${source}: ${parsed.reason}`);
  return parsed.recording;
}

/** What a recording looks like, without its numbers. */
function shape(rec: Recording) {
  const { spec, runs } = rec.results;
  return {
    source: rec.recording.source,
    backend: rec.results.backend,
    runs: runs.map((r) => ({
      id: r.id,
      method: r.method,
      status: r.status,
      evaluations: r.history.length,
      keys: r.history.map((p) => Object.keys(p.robust).sort().join(',')),
    })),
    losses: Object.fromEntries(Object.entries(rec.losses).map(([id, l]) => [id, l.length])),
    landscapes: Object.fromEntries(Object.entries(rec.landscapes).map(([id, l]) => [id, l.map((x) => x.kind)])),
    epochs: spec.train.epochs,
  };
}

/** The step cut down to seconds of training: the same runs, attacks and landscapes, on less data for one epoch. */
function tiny(spec: ExperimentSpec): ExperimentSpec {
  const s = structuredClone(spec);
  s.dataset = { ...s.dataset, trainSize: 64, testSize: 32 };
  s.train = { ...s.train, epochs: 1, batchSize: 32 };
  s.eval = { ...s.eval, subsetSize: 16, pgdSteps: 1, during: { subsetSize: 16, pgdSteps: 1 } };
  s.landscape = { ...s.landscape, points1d: 3, points2d: 3, batchSize: 8 };
  return s;
}

describe('recorded runs', () => {
  it('has one committed recording per lesson step, of its current spec, that the page reads', () => {
    for (const step of lessonSteps()) {
      const rec = committed(`lesson:${step.id}`);
      expect(rec.recording.source).toBe(`lesson:${step.id}`);
      expect(recordsSpec(rec, step.spec), `${step.id} was recorded from another spec: run npm run record`).toBe(true);
      expect(rec.results.backend).toBe('wasm');
      expect(
        rec.results.runs.every((r) => r.status === 'done'),
        step.id,
      ).toBe(true);
    }
  });

  it('records every lesson step and the presets on generated data by default', () => {
    const sources = defaultSources();
    for (const step of lessonSteps()) expect(sources).toContain(`lesson:${step.id}`);
    for (const s of sources) expect(recordingSpecs().get(s)!.dataset.name).toMatch(/^(shapes|toy)$/);
  });

  describe('regenerated on a tiny spec', () => {
    const fresh = new Map<string, Recording>();
    beforeAll(async () => {
      await useBackend('wasm');
      const cache: RunCache = new Map();
      for (const step of lessonSteps()) {
        const source = `lesson:${step.id}`;
        // Through the file format, as the page gets it.
        const rec = await record(source, tiny(step.spec), '2026-01-01', cache);
        const parsed = parseRecording(JSON.parse(recordingToJson(rec)));
        if (!parsed.ok) throw new Error(`${source}: ${parsed.reason}`);
        fresh.set(source, parsed.recording);
      }
    }, 600_000);

    for (const step of lessonSteps()) {
      it(`has the shape of the committed ${step.id}`, () => {
        const source = `lesson:${step.id}`;
        const a = shape(fresh.get(source)!);
        const b = shape(committed(source));
        // One evaluation per epoch and one at step 0; one loss per step.
        expect(a.runs.every((r) => r.evaluations === a.epochs + 1)).toBe(true);
        expect(b.runs.every((r) => r.evaluations === b.epochs + 1)).toBe(true);
        const steps = (rec: Recording) =>
          Object.fromEntries(rec.results.runs.map((r) => [r.id, r.history.at(-1)!.step]));
        expect(a.losses).toEqual(steps(fresh.get(source)!));
        expect(b.losses).toEqual(steps(committed(source)));
        const norm = (s: typeof a) => ({
          ...s,
          epochs: 0,
          losses: Object.keys(s.losses),
          runs: s.runs.map((r) => ({ ...r, evaluations: 0, keys: [...new Set(r.keys)] })),
        });
        expect(norm(a)).toEqual(norm(b));
      });
    }
  });
});
