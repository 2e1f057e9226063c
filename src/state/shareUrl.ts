// The share URL: the whole experiment spec (seed included) in the location hash, versioned and
// compressed. Format: "#x=<codec version>.<base64url(deflate(JSON))>". Decoding treats the hash as
// untrusted: any failure (truncation, bad base64, bad deflate, bad JSON, an unknown version, too
// much data, bad fields) yields a valid spec plus one message saying what was ignored; it never
// throws, and never inflates more than a spec can need.
import { formatIssues } from '../core/schema';
import { DEFAULT_SPEC, parseSpec, type ExperimentSpec, type SpecIssue } from '../core/spec';
import { encodeLinkPart, readLinkPart } from './linkPart';

/** Version of the URL codec (the spec carries its own `version`, which parseSpec migrates). */
const SHARE_CODEC_VERSION = 1;
const KEY = 'x';
/** A spec is about 1 KB of JSON; a link that inflates past this is refused. */
const SPEC_LINK_MAX_BYTES = 16 * 1024;

export function encodeShareHash(spec: ExperimentSpec): string {
  return `#${KEY}=${encodeLinkPart(spec, SHARE_CODEC_VERSION)}`;
}

export interface DecodedShare {
  spec: ExperimentSpec;
  /** Fields that were ignored (bad or unknown), empty when the link was clean. */
  issues: SpecIssue[];
  /** One plain sentence for the page when anything was ignored; null when all was read. */
  message: string | null;
  /** False when the hash holds no experiment at all (then `spec` is the default). */
  found: boolean;
}

function fallback(message: string): DecodedShare {
  return { spec: structuredClone(DEFAULT_SPEC), issues: [], message, found: true };
}

export function decodeShareHash(hash: string): DecodedShare {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get(KEY);
  if (value === null) return { spec: structuredClone(DEFAULT_SPEC), issues: [], message: null, found: false };
  const read = readLinkPart(value, SHARE_CODEC_VERSION, SPEC_LINK_MAX_BYTES);
  if ('reason' in read)
    return fallback(`The link was not read: ${read.reason}. The default experiment is shown instead.`);
  const raw = read.raw;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fallback('The link holds no experiment: the default experiment is shown instead.');
  const { spec, issues } = parseSpec(raw);
  const message =
    issues.length === 0
      ? null
      : `Some settings in the link were ignored and reset to their defaults:\n${formatIssues(issues, 'spec')}`;
  return { spec, issues, message, found: true };
}
