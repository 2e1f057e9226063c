// The finished loss landscapes of a run, saved with it (runData.ts) so that they survive a reload
// and come back when a saved experiment is opened. Only `slices` is saved: the landscape in
// progress, the queued requests and a failure message belong to this page's worker, which a
// reload ends. The saved value is untrusted (an older version of the page, an edit): each record
// is checked through a schema; one that does not read is dropped and said so on the run's card,
// the others and the run itself come back.
import * as v from 'valibot';
import { landscapeCostSchema, readLandscapeResult } from '../core/landscape/readResult';
import { ALL_LANDSCAPE_KINDS } from '../core/landscape/request';
import type { LandscapeResult } from '../core/landscape/results';
import { formatIssues, int, known, list, mapList, num, oneOf, text, toIssues, type InputIssue } from '../core/schema';
import { EMPTY_RUN_LANDSCAPES, type LandscapeRecord } from './landscapeSlice';
import type { RunDataPart } from './runData';

const recordSchema = known({
  requestId: text(128),
  trigger: oneOf(['eval', 'end', 'manual']),
  kinds: v.pipe(
    list(
      oneOf(ALL_LANDSCAPE_KINDS as [LandscapeResult['kind'], ...LandscapeResult['kind'][]]),
      1,
      ALL_LANDSCAPE_KINDS.length,
    ),
    v.check((kinds) => new Set(kinds).size === kinds.length, 'must list distinct kinds'),
  ),
  step: int(0, 5e7),
  epoch: num(0, 500),
  ms: num(0, 1e12),
  estimate: landscapeCostSchema,
  results: list(v.unknown(), 1, ALL_LANDSCAPE_KINDS.length),
});

/** The record, or why it does not read: the issues of its fields, then of each result. */
function readRecord(
  raw: unknown,
  at: string,
): { ok: true; record: LandscapeRecord } | { ok: false; issues: InputIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, issues: [{ path: at, message: 'must be an object' }] };
  const parsed = v.safeParse(recordSchema, raw);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.issues, at) };
  const { kinds, ...record } = parsed.output;
  // A finished landscape holds one whole result per kind asked for, in the order asked.
  if (record.results.length !== kinds.length)
    return {
      ok: false,
      issues: [{ path: `${at}.results`, message: `must hold one result per kind (${kinds.length})` }],
    };
  const issues: InputIssue[] = [];
  const results: LandscapeResult[] = [];
  record.results.forEach((r, i) => {
    const read = readLandscapeResult(r, `${at}.results[${i}]`);
    if (!read.ok) issues.push(...read.issues);
    else if (read.result.kind !== kinds[i])
      issues.push({ path: `${at}.results[${i}]`, message: `must be the ${kinds[i]} result, got ${read.result.kind}` });
    else results.push(read.result);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, record: { ...record, kinds, results, progress: 1 } };
}

/** The records of a saved value that read, and why each other one was dropped. */
export function readSavedLandscapes(raw: unknown): { slices: LandscapeRecord[]; dropped: string[] } {
  if (!Array.isArray(raw)) return { slices: [], dropped: ['the saved landscapes are not a list'] };
  const slices: LandscapeRecord[] = [];
  const dropped: string[] = [];
  mapList(raw, (r, i) => readRecord(r, `landscape ${i + 1}`), 1000).forEach((read) => {
    if (read.ok) slices.push(read.record);
    else dropped.push(formatIssues(read.issues).replace(/\n/g, '; '));
  });
  if (raw.length > 1000) dropped.push(`${raw.length - 1000} more landscapes than the 1000 kept`);
  return { slices, dropped };
}

export const landscapePart: RunDataPart = {
  key: 'landscapes',
  // The slices array itself: the store replaces it only when a landscape is finished or cleared, so
  // a landscape's progress saves nothing. None is saved as nothing (a Restart removes them).
  read(s, runId) {
    const slices = s.landscapes[runId]?.slices;
    return slices && slices.length > 0 ? slices : undefined;
  },
  restore(s, runId, value) {
    const { slices, dropped } = readSavedLandscapes(value);
    const error =
      dropped.length > 0
        ? `${dropped.length} saved landscape${dropped.length > 1 ? 's' : ''} could not be read and ${dropped.length > 1 ? 'were' : 'was'} dropped: ${[...dropped.slice(0, 3), ...(dropped.length > 3 ? [`and ${dropped.length - 3} more`] : [])].join('; ')}`
        : undefined;
    return {
      landscapes: { ...s.landscapes, [runId]: { ...EMPTY_RUN_LANDSCAPES, slices, ...(error ? { error } : {}) } },
    };
  },
};
