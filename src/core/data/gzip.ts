// Gzip handling shared by every edge. Dataset files are served gzipped (official formats), and the
// parsers accept either form, so a user may drop in plain or gzipped files alike.
import { gunzipSync } from 'fflate';

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with fflate (works in Node, workers and pages); a corrupt or cut stream throws a named error. */
export function gunzip(bytes: Uint8Array, what = 'file'): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${what}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}

/** The bytes themselves, or their gunzipped content when they are gzipped. */
export function maybeGunzip(bytes: Uint8Array, what = 'file'): Uint8Array {
  return isGzip(bytes) ? gunzip(bytes, what) : bytes;
}
