// The share URL: the whole experiment spec (seed included) in the location hash, versioned and
// compressed. Format: "#x=<codec version>.<base64url(deflate(JSON))>". Decoding treats the hash as
// untrusted: any failure (truncation, bad base64, bad deflate, bad JSON, an unknown version, too
// much data, bad fields) yields a valid spec plus one message saying what was ignored; it never
// throws, and never inflates more than a spec can need.
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import { formatIssues } from '../core/schema';
import { DEFAULT_SPEC, parseSpec, type ExperimentSpec, type SpecIssue } from '../core/spec';

/** Version of the URL codec (the spec carries its own `version`, migrated below). */
export const SHARE_CODEC_VERSION = 1;
const KEY = 'x';
/** A spec is about 1 KB of JSON; a link that inflates past this is refused. */
export const SPEC_LINK_MAX_BYTES = 16 * 1024;

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

/** Deflated bytes inflated, refused as soon as they pass `maxBytes` (a small link may inflate to gigabytes). */
export function inflateCapped(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const stream = new Inflate((chunk, final) => {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`it holds more than ${Math.round(maxBytes / 1024)} KB of data`);
    parts.push(chunk);
    ended ||= final;
  });
  const step = 1024;
  for (let at = 0; at < bytes.length; at += step) stream.push(bytes.subarray(at, at + step), at + step >= bytes.length);
  if (!ended) throw new Error('it is cut short');
  const out = new Uint8Array(size);
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/**
 * A link part "<version>.<base64url(deflate(JSON))>" read back: the JSON value, or why not. Only
 * `version` itself is read; a greater one was made by a newer lab.
 */
export function readLinkPart(value: string, version: number, maxBytes: number): { raw: unknown } | { reason: string } {
  const dot = value.indexOf('.');
  const head = value.slice(0, Math.max(dot, 0));
  if (dot < 1 || !/^-?\d+$/.test(head)) return { reason: 'it has no format version' };
  const codec = Number(head);
  if (codec > version) return { reason: `it was made by a newer version of the lab (format ${codec})` };
  if (codec !== version) return { reason: `its format ${codec} is not one this lab knows` };
  try {
    return { raw: JSON.parse(strFromU8(inflateCapped(fromBase64Url(value.slice(dot + 1)), maxBytes))) };
  } catch (e) {
    return { reason: `it is damaged or truncated (${(e as Error).message || 'cannot be decompressed'})` };
  }
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
  const read = readLinkPart(value, SHARE_CODEC_VERSION, SPEC_LINK_MAX_BYTES);
  if ('reason' in read) return fallback(`The link was not read: ${read.reason}. The default experiment is shown instead.`);
  const raw = read.raw;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fallback('The link holds no experiment: the default experiment is shown instead.');
  let obj = raw as Record<string, unknown>;
  const from = typeof obj.version === 'number' && Number.isInteger(obj.version) ? obj.version : 1;
  for (let v = from; MIGRATIONS[v]; v++) obj = MIGRATIONS[v](obj);
  const { spec, issues } = parseSpec(obj);
  const message = issues.length === 0 ? null : `Some settings in the link were ignored and reset to their defaults:\n${formatIssues(issues, 'spec')}`;
  return { spec, issues, message, found: true };
}
