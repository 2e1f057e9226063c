import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonSteps } from '../core/lesson';
import { recordingFile } from '../core/recording';
import { parseRecording, recordsSpec, sameSpec } from './recordedRun';

const raw = (source: string): unknown =>
  JSON.parse(readFileSync(path.resolve(__dirname, '../../public/recorded', recordingFile(source)), 'utf8'));

/** The committed file with the value at `where` (a dotted path) replaced, or deleted when `value` is undefined. */
function broken(source: string, where: string, value: unknown): unknown {
  const file = raw(source);
  const keys = where.split('.');
  let o = file as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) (o as unknown as unknown[]).pop();
  else Object.defineProperty(o, last, { value, enumerable: true, configurable: true, writable: true });
  return file;
}
const reason = (x: unknown) => {
  const p = parseRecording(x);
  return p.ok ? 'accepted' : p.reason;
};

describe('a recorded run read as untrusted input', () => {
  it('reads a committed recording: its results through the results parser, step-0 losses as NaN', () => {
    const p = parseRecording(raw('lesson:sam'));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.recording.results.runs.map((r) => r.id)).toEqual(['sgd', 'sam']);
    expect(p.recording.results.runs[0].history[0].trainLoss).toBeNaN();
    expect(recordsSpec(p.recording, lessonSteps()[3].spec)).toBe(true);
    expect(recordsSpec(p.recording, lessonSteps()[2].spec)).toBe(false);
  });

  it('refuses a bad recording with the reason, naming the field', () => {
    expect(reason(null)).toMatch(/recording/);
    expect(reason(broken('lesson:sam', 'recording.format', 2))).toMatch(/recording\.format: must be 1/);
    expect(reason(broken('lesson:sam', 'recording.recordedOn', 'yesterday'))).toMatch(
      /recordedOn: must be a date YYYY-MM-DD/,
    );
    expect(reason(broken('lesson:sam', 'results.runs.1.history.2.cleanAcc', 1.5))).toMatch(
      /its results do not read: .*runs\[1\]\.history\[2\]\.cleanAcc/,
    );
    expect(reason(broken('lesson:sam', 'losses.mallory', [1, 2]))).toMatch(
      /names a run "mallory" that is not in its spec/,
    );
    // An own key the format does not have, even one named like a prototype's.
    expect(reason(broken('lesson:sam', 'constructor', 'x'))).toMatch(/constructor: is not a known field/);
    expect(reason(broken('lesson:sam', 'losses.sam.3', -1))).toMatch(/losses\.sam\[3\]/);
  });

  it("checks landscapes through the landscape reader: their arrays must have the axes' shape", () => {
    expect(reason(raw('lesson:landscapes'))).toBe('accepted');
    const rec = raw('lesson:landscapes') as { landscapes: { sgd: { kind: string }[] } };
    const i = rec.landscapes.sgd.findIndex((x) => x.kind === 'weight-1d');
    expect(reason(broken('lesson:landscapes', `landscapes.sgd.${i}.loss.x`, undefined))).toMatch(
      /landscapes\.sgd\[\d\]\.loss: must hold \d+ numbers/,
    );
  });

  it('compares specs with their defaults filled in, whatever the key order', () => {
    const spec = lessonSteps()[1].spec;
    const reordered = Object.fromEntries(Object.entries(structuredClone(spec)).reverse()) as typeof spec;
    expect(sameSpec(spec, reordered)).toBe(true);
    expect(sameSpec(spec, { ...spec, seed: 2 })).toBe(false);
  });
});
