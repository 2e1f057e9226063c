// Gzip handling shared by every edge. Dataset files are served gzipped (official formats), and the
// parsers accept either form, so a user may drop in plain or gzipped files alike. The input is
// untrusted: the output is capped while it is inflated (a forged trailer cannot size a buffer), and
// the trailer's CRC-32 and ISIZE must match what came out.
import CRC32 from 'crc-32';
import { Gunzip } from 'fflate';

/** Largest output by default: the biggest official file, CIFAR-10's tarball, is 185 MB unpacked. */
export const MAX_GUNZIP_BYTES = 512 * 1024 * 1024;
/** Deflate's best ratio is about 1032:1 (258-byte matches in 2-bit codes): a stream cannot give more. */
const MAX_RATIO = 1032;
/** Input fed per push: large pushes are fast, small ones keep the output of one push below the cap. */
const MIN_CHUNK = 1024;
const MAX_CHUNK = 256 * 1024;

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

class GzipError extends Error {}

/**
 * Gunzips one gzip member with fflate's streaming inflater (works in Node, workers and pages); a
 * corrupt, cut or forged stream, or one inflating past `maxBytes`, throws a named error.
 */
export function gunzip(bytes: Uint8Array, what = 'file', maxBytes = MAX_GUNZIP_BYTES): Uint8Array {
  const fail = (why: string): never => {
    throw new GzipError(`${what}: gzip data is corrupt or truncated (${why})`);
  };
  if (bytes.length < 18) fail('shorter than a gzip header and trailer');
  const cap = Math.min(maxBytes, bytes.length * MAX_RATIO);
  const parts: Uint8Array[] = [];
  let size = 0;
  let crc = 0;
  let ended = false;
  try {
    const stream = new Gunzip((chunk, final) => {
      size += chunk.length;
      if (size > cap) fail(`it inflates to more than ${cap} bytes`);
      crc = CRC32.buf(chunk, crc);
      parts.push(chunk);
      if (final) ended = true;
    });
    stream.onmember = () => fail('it holds more than one gzip member');
    for (let at = 0; at < bytes.length;) {
      const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor((cap - size) / MAX_RATIO)));
      stream.push(bytes.subarray(at, at + chunk), at + chunk >= bytes.length);
      at += chunk;
    }
  } catch (e) {
    if (e instanceof GzipError) throw e;
    fail((e as Error).message);
  }
  if (!ended) fail('the stream ends early');
  const trailer = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 8);
  if (trailer.getUint32(0, true) !== crc >>> 0) fail('CRC-32 mismatch');
  if (trailer.getUint32(4, true) !== size % 2 ** 32)
    fail(`the trailer declares ${trailer.getUint32(4, true)} bytes, ${size} came out`);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes themselves, or their gunzipped content when they are gzipped. */
export function maybeGunzip(bytes: Uint8Array, what = 'file', maxBytes = MAX_GUNZIP_BYTES): Uint8Array {
  return isGzip(bytes) ? gunzip(bytes, what, maxBytes) : bytes;
}
