// Reads a recorded run (core/recording.ts) as untrusted input: the results through the lab's own
// results parser (resultsFile.ts), each landscape through readLandscapeResult, the loss curves and
// the origin through the schema library. Anything wrong refuses the whole recording with the reason.
import * as v from 'valibot';
import { readLandscapeResult } from '../core/landscape/readResult';
import type { LandscapeResult } from '../core/landscape/results';
import { RECORDING_FORMAT, type Recording } from '../core/recording';
import { dict, formatIssues, list, metric, obj, text, toIssues, type InputIssue } from '../core/schema';
import { parseSpec, type ExperimentSpec } from '../core/spec';
import { parseResults } from '../core/train/resultsFile';

export type ParsedRecording = { ok: true; recording: Recording } | { ok: false; reason: string };

const originSchema = obj({
  format: v.literal(RECORDING_FORMAT, `must be ${RECORDING_FORMAT}`),
  source: text(80, /^(lesson|preset):[\w.-]+$/, 'lesson:<id> or preset:<id>'),
  recordedOn: text(10, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  command: text(200),
});

const topSchema = obj({
  recording: originSchema,
  results: v.unknown(),
  losses: dict(list(metric(0, 1e30), 0, 100_000), 12),
  landscapes: dict(list(v.unknown(), 0, 16), 12),
});

export function parseRecording(raw: unknown): ParsedRecording {
  const top = v.safeParse(topSchema, raw);
  if (!top.success) return { ok: false, reason: formatIssues(toIssues(top.issues), 'recording') };
  const results = parseResults(top.output.results);
  if (!results.ok) return { ok: false, reason: `its results do not read: ${results.reason}` };
  const ids = new Set(results.results.spec.runs.map((r) => r.id));
  const issues: InputIssue[] = [];
  for (const key of [...Object.keys(top.output.losses), ...Object.keys(top.output.landscapes)]) {
    if (!ids.has(key))
      issues.push({ path: 'recording', message: `names a run "${key.slice(0, 32)}" that is not in its spec` });
  }
  const landscapes: Record<string, LandscapeResult[]> = {};
  for (const [id, list] of Object.entries(top.output.landscapes)) {
    landscapes[id] = [];
    list.forEach((item, i) => {
      const read = readLandscapeResult(item, `landscapes.${id}[${i}]`);
      if (read.ok) landscapes[id].push(read.result);
      else issues.push(...read.issues);
    });
  }
  if (issues.length > 0) return { ok: false, reason: formatIssues(issues, 'recording') };
  return {
    ok: true,
    recording: { recording: top.output.recording, results: results.results, losses: top.output.losses, landscapes },
  };
}

/** JSON with every object's keys sorted: two specs built in different orders compare equal. */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** Whether two specs are the same experiment once their defaults are filled in. */
export function sameSpec(a: ExperimentSpec, b: ExperimentSpec): boolean {
  return canonical(parseSpec(a).spec) === canonical(parseSpec(b).spec);
}

/** Whether `rec` was recorded from `spec`: a recording of an older spec is not shown as this one's. */
export const recordsSpec = (rec: Recording, spec: ExperimentSpec): boolean => sameSpec(rec.results.spec, spec);
