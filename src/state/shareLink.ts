// The page's link: the spec in `x=` (shareUrl.ts), and optionally the finished results in `r=`,
// compressed the same way: "#x=1.<spec>&r=1.<base64url(deflate(JSON))>". The results part holds
// the curves and final numbers (no weights), rounded to 4 decimals, and is only added while it
// fits in RESULTS_LINK_MAX_CHARS; bigger results go in the results file. Old "#spec=<JSON>" links
// are still read. Everything read from a link is untrusted: a bad results part is dropped with one
// message, the spec is kept.
import { attackKey, type ExperimentSpec } from '../core/spec';
import type { Results } from '../core/train/results';
import { specFromHash } from './hashSpec';
import { parseResults } from '../core/train/resultsFile';
import { encodeLinkPart, readLinkPart } from './linkPart';
import { decodeShareHash, encodeShareHash } from './shareUrl';

const RESULTS_KEY = 'r';
const RESULTS_CODEC_VERSION = 1;
/** A results part longer than this is left out of the link (a few KB keeps links pasteable). */
export const RESULTS_LINK_MAX_CHARS = 6000;
/** What a results part may inflate to: far more than 6,000 characters of deflated curves give. */
export const RESULTS_LINK_MAX_BYTES = 512 * 1024;

const round4 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null);

/**
 * Compact form: per run {id, m: method, s: status, ms: ms per step, h: rows}; one row per evaluation:
 * [epoch, step, trainLoss, trainAcc, cleanAcc, cleanLoss, ...robust in the spec's attack order].
 */
export function encodeResultsParam(results: Results): string {
  const keys = results.spec.eval.attacks.map(attackKey);
  const compact = {
    b: results.backend,
    runs: results.runs.map((r) => ({
      id: r.id,
      m: r.method,
      s: r.status,
      ms: round4(r.msPerStep),
      ...(r.error ? { e: r.error } : {}),
      h: r.history.map((p) =>
        [
          p.epoch,
          p.step,
          p.trainLoss,
          p.trainAcc,
          p.cleanAcc,
          p.cleanLoss ?? NaN,
          ...keys.map((k) => p.robust[k] ?? NaN),
        ].map(round4),
      ),
    })),
  };
  return encodeLinkPart(compact, RESULTS_CODEC_VERSION);
}

/** The results of a link's `r=` value, checked like an imported file; a reason instead when it cannot be read. */
export function decodeResultsParam(value: string, spec: ExperimentSpec): { results: Results } | { reason: string } {
  const read = readLinkPart(value, RESULTS_CODEC_VERSION, RESULTS_LINK_MAX_BYTES);
  if ('reason' in read) return read;
  const raw = read.raw;
  const keys = spec.eval.attacks.map(attackKey);
  const c = raw as { b?: unknown; runs?: unknown };
  if (typeof c !== 'object' || c === null || !Array.isArray(c.runs)) return { reason: 'it holds no runs' };
  const num = (v: unknown) => (v === null ? NaN : v);
  const runs = c.runs.map((r: Record<string, unknown>) => ({
    id: r?.id,
    method: r?.m,
    status: r?.s,
    msPerStep: r?.ms ?? 0,
    ...(r?.e !== undefined ? { error: r.e } : {}),
    history: Array.isArray(r?.h)
      ? r.h.map((row: unknown) => {
          if (!Array.isArray(row) || row.length !== 6 + keys.length) return row;
          const [epoch, step, trainLoss, trainAcc, cleanAcc, cleanLoss, ...robust] = row;
          return {
            epoch,
            step,
            trainLoss: num(trainLoss),
            trainAcc: num(trainAcc),
            cleanAcc,
            ...(cleanLoss !== null ? { cleanLoss } : {}),
            robust: Object.fromEntries(keys.flatMap((k, i) => (robust[i] === null ? [] : [[k, robust[i]]]))),
          };
        })
      : r?.h,
  }));
  // NaN is not JSON: parseResults takes null for the step-0 training numbers.
  const checked = parseResults(JSON.parse(JSON.stringify({ spec, backend: c.b, runs })));
  return checked.ok ? { results: checked.results } : { reason: checked.reason };
}

export interface LinkContents {
  spec: ExperimentSpec;
  /** False when the hash holds no experiment: the page shows its default. */
  found: boolean;
  /** Finished results carried by the link, to be shown without training. */
  results?: Results;
  /** One message for the user when anything in the link was ignored. */
  message: string | null;
}

export function readShareLink(hash: string, defaults: ExperimentSpec): LinkContents {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (!params.has('x')) {
    const legacy = specFromHash(hash, defaults);
    return legacy
      ? { spec: legacy.spec, found: true, message: legacy.message ?? null }
      : { spec: structuredClone(defaults), found: false, message: null };
  }
  const decoded = decodeShareHash(hash);
  const r = params.get(RESULTS_KEY);
  if (r === null) return { spec: decoded.spec, found: decoded.found, message: decoded.message };
  // Results only make sense for the exact spec they were trained with.
  if (decoded.message !== null)
    return { spec: decoded.spec, found: true, message: `${decoded.message} The results in the link were ignored too.` };
  const read = decodeResultsParam(r, decoded.spec);
  if ('reason' in read)
    return {
      spec: decoded.spec,
      found: true,
      message: `The results in the link were ignored (${read.reason}); the experiment itself was read and can be trained.`,
    };
  return { spec: decoded.spec, found: true, results: read.results, message: null };
}

/** The link's hash for a spec, with its results when given and small enough; says whether they went in. */
export function shareLinkHash(spec: ExperimentSpec, results?: Results): { hash: string; withResults: boolean } {
  const hash = encodeShareHash(spec);
  if (!results) return { hash, withResults: false };
  const r = encodeResultsParam(results);
  return r.length <= RESULTS_LINK_MAX_CHARS
    ? { hash: `${hash}&${RESULTS_KEY}=${r}`, withResults: true }
    : { hash, withResults: false };
}
