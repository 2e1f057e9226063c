import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingFile } from '../core/recording';
import { parseRecording } from './recordedRun';
import { replayAt, replayMsPerStep, replaySteps } from './replay';

function committed(source: string) {
  const parsed = parseRecording(
    JSON.parse(readFileSync(path.resolve(__dirname, '../../public/recorded', recordingFile(source)), 'utf8')),
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.recording;
}

describe('replay of a recorded run', () => {
  const rec = committed('lesson:adversarial-training');

  it('ends on the recorded file itself: the same final numbers for every run', () => {
    const end = replayAt(rec, replaySteps(rec));
    expect(end.histories).toEqual(rec.results.runs.map((r) => r.history));
    expect(end.losses).toEqual(rec.results.spec.runs.map((r) => rec.losses[r.id]));
    const last = end.histories.map((h) => h.at(-1)!);
    expect(last.map((p) => p.cleanAcc)).toEqual(rec.results.runs.map((r) => r.history.at(-1)!.cleanAcc));
  });

  it('starts at the shared step-0 evaluation and grows one evaluation at a time', () => {
    const start = replayAt(rec, 0);
    expect(start.histories.map((h) => h.map((p) => p.step))).toEqual(rec.results.runs.map(() => [0]));
    expect(start.losses.every((l) => l.length === 0)).toBe(true);
    let before = 0;
    for (let step = 0; step <= replaySteps(rec); step += 7) {
      const n = replayAt(rec, step).histories[0].length;
      expect(n).toBeGreaterThanOrEqual(before);
      before = n;
      expect(replayAt(rec, step).losses[0]).toHaveLength(Math.min(step, rec.losses.sgd.length));
    }
  });

  it('paces 1x at the slowest run, as runs stepping side by side', () => {
    expect(replayMsPerStep(rec)).toBe(Math.max(...rec.results.runs.map((r) => r.msPerStep)));
    expect(replaySteps(rec)).toBe(rec.results.runs[0].history.at(-1)!.step);
  });
});
