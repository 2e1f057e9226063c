// Reading untrusted data (a results file, a share link, a saved experiment): the checks every
// reader needs, and one error whose message names the field that failed, so each reader can tell
// "this input does not read" from a bug in the reader.

/** Why untrusted data does not read; the message names the field. */
export class UntrustedDataError extends Error {}

export function need(ok: boolean, reason: string): asserts ok {
  if (!ok) throw new UntrustedDataError(reason);
}

/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** A finite number >= 0 (an epoch, a duration, a rate). */
export const isNonNegative = (v: unknown): v is number => isFiniteNumber(v) && v >= 0;
/** An integer >= 0 (a step, a number of evaluations). */
export const isCount = (v: unknown): v is number => isNonNegative(v) && Number.isInteger(v);
