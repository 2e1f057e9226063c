// A part of the page's link: "<version>.<base64url(deflate(JSON))>", the form of both the spec
// (`x=`, shareUrl.ts) and the results (`r=`, shareLink.ts). Read as untrusted: the inflated size is
// capped while inflating, and every failure is a reason, never a throw.
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it holds characters that are not base64url');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Deflated bytes inflated, refused as soon as they pass `maxBytes` (a small link may inflate to gigabytes). */
function inflateCapped(bytes: Uint8Array, maxBytes: number): Uint8Array {
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

/** A JSON value as a link part "<version>.<base64url(deflate(JSON))>". */
export function encodeLinkPart(value: unknown, version: number): string {
  return `${version}.${toBase64Url(deflateSync(strToU8(JSON.stringify(value)), { level: 9 }))}`;
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
