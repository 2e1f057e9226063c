// The share URL: the whole experiment spec (seed included) in the location hash, versioned and
// compressed. Format: "#x=<codec version>.<base64url(deflate(JSON))>". Decoding treats the hash as
// untrusted: any failure (truncation, bad base64, bad deflate, bad JSON, a future version, bad
// fields) yields a valid spec plus one message saying what was ignored; it never throws.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { DEFAULT_SPEC, parseSpec, type ExperimentSpec, type SpecIssue } from '../core/spec';

/** Version of the URL codec (the spec carries its own `version`, migrated below). */
export const SHARE_CODEC_VERSION = 1;
const KEY = 'x';

/**
 * Migrations from older spec versions, applied to the raw object before parseSpec.
 * Entry v turns a version-v object into version v+1. Version 1 is the first: none yet.
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it holds characters that are not base64url');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodeShareHash(spec: ExperimentSpec): string {
  return `#${KEY}=${SHARE_CODEC_VERSION}.${toBase64Url(deflateSync(strToU8(JSON.stringify(spec)), { level: 9 }))}`;
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
  const dot = value.indexOf('.');
  const codec = Number(value.slice(0, dot));
  if (dot < 1 || !Number.isInteger(codec)) return fallback('The link is damaged (no version): the default experiment is shown instead.');
  if (codec > SHARE_CODEC_VERSION) return fallback(`The link was made by a newer version of the lab (link format ${codec}); the default experiment is shown instead.`);
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(inflateSync(fromBase64Url(value.slice(dot + 1)))));
  } catch (e) {
    return fallback(`The link is damaged or truncated (${(e as Error).message || 'cannot be decompressed'}): the default experiment is shown instead.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fallback('The link holds no experiment: the default experiment is shown instead.');
  let obj = raw as Record<string, unknown>;
  const from = typeof obj.version === 'number' && Number.isInteger(obj.version) ? obj.version : 1;
  for (let v = from; MIGRATIONS[v]; v++) obj = MIGRATIONS[v](obj);
  const { spec, issues } = parseSpec(obj);
  const message = issues.length === 0 ? null : `Some settings in the link were ignored and reset to their defaults: ${issues.map((i) => `${i.path} (${i.message})`).join('; ')}.`;
  return { spec, issues, message, found: true };
}
