// The finished loss landscapes of a run, saved with it (runData.ts) so that they survive a reload
// and come back when a saved experiment is opened. Only `slices` is saved: the landscape in
// progress, the queued requests and a failure message belong to this page's worker, which a
// reload ends. The saved value is untrusted (an older version of the page, an edit): each record
// is checked field by field; one that does not read is dropped and said so on the run's card,
// the others and the run itself come back.
import { readLandscapeCost, readLandscapeResult } from '../core/landscape/readResult';
import { LANDSCAPE_KINDS } from '../core/landscape/request';
import type { LandscapeKind } from '../core/landscape/results';
import { isCount, isNonNegative, isObject, need, UntrustedDataError } from '../core/untrusted';
import type { LandscapeTrigger } from '../worker/protocol';
import { EMPTY_RUN_LANDSCAPES, type LandscapeRecord } from './landscapeSlice';
import type { RunDataPart } from './runData';

const TRIGGERS: readonly LandscapeTrigger[] = ['eval', 'end', 'manual'];

function readRecord(raw: unknown, at: string): LandscapeRecord {
  need(isObject(raw), `${at} must be an object`);
  need(typeof raw.requestId === 'string', `${at}.requestId must be a string`);
  need(TRIGGERS.includes(raw.trigger as LandscapeTrigger), `${at}.trigger must be one of ${TRIGGERS.join(', ')}`);
  const kinds = raw.kinds;
  need(
    Array.isArray(kinds) && kinds.every((k) => LANDSCAPE_KINDS.includes(k)) && new Set(kinds).size === kinds.length,
    `${at}.kinds must list distinct kinds of ${LANDSCAPE_KINDS.join(', ')}`,
  );
  need(isCount(raw.step), `${at}.step must be an integer >= 0`);
  need(isNonNegative(raw.epoch), `${at}.epoch must be a number >= 0`);
  need(isNonNegative(raw.ms), `${at}.ms must be a number >= 0`);
  // A finished landscape holds one whole result per kind asked for, in the order asked.
  need(Array.isArray(raw.results) && raw.results.length === kinds.length, `${at}.results must hold one result per kind (${kinds.length})`);
  const results = (raw.results as unknown[]).map((r, i) => readLandscapeResult(r, `${at}.results[${i}]`));
  results.forEach((r, i) => need(r.kind === kinds[i], `${at}.results[${i}] must be the ${kinds[i]} result, got ${r.kind}`));
  return {
    requestId: raw.requestId as string,
    trigger: raw.trigger as LandscapeTrigger,
    kinds: [...(kinds as LandscapeKind[])],
    step: raw.step,
    epoch: raw.epoch,
    estimate: readLandscapeCost(raw.estimate, `${at}.estimate`),
    results,
    progress: 1,
    ms: raw.ms,
  };
}

/** The records of a saved value that read, and why each other one was dropped. */
export function readSavedLandscapes(raw: unknown): { slices: LandscapeRecord[]; dropped: string[] } {
  if (!Array.isArray(raw)) return { slices: [], dropped: ['the saved landscapes are not a list'] };
  const slices: LandscapeRecord[] = [];
  const dropped: string[] = [];
  raw.forEach((r, i) => {
    try {
      slices.push(readRecord(r, `landscape ${i + 1}`));
    } catch (e) {
      if (!(e instanceof UntrustedDataError)) throw e;
      dropped.push(e.message);
    }
  });
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
    const error = dropped.length > 0 ? `${dropped.length} saved landscape${dropped.length > 1 ? 's' : ''} could not be read and ${dropped.length > 1 ? 'were' : 'was'} dropped: ${dropped.join('; ')}` : undefined;
    return { landscapes: { ...s.landscapes, [runId]: { ...EMPTY_RUN_LANDSCAPES, slices, ...(error ? { error } : {}) } } };
  },
};
