import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip } from './gzip';

const gz = (b: Uint8Array) => new Uint8Array(zlib.gzipSync(b));
const data = new Uint8Array(100_000).map((_, i) => (i * 7) % 251);

describe('gunzip', () => {
  it('reads a gzip member back', () => {
    expect(gunzip(gz(data))).toEqual(data);
  });

  it('refuses a forged trailer: a wrong CRC-32, or a declared size that did not come out', () => {
    const bad = gz(data);
    bad[bad.length - 8] ^= 1;
    expect(() => gunzip(bad, 'x')).toThrow(/x: gzip data is corrupt.*CRC-32/);
    const big = gz(data);
    new DataView(big.buffer).setUint32(big.length - 4, 0xf0000000, true);
    expect(() => gunzip(big, 'x')).toThrow(/declares 4026531840 bytes, 100000 came out/);
  });

  it('stops inflating at the cap, whatever the trailer says', () => {
    const zeros = gz(new Uint8Array(64 * 1024 * 1024));
    const t0 = performance.now();
    expect(() => gunzip(zeros, 'bomb', 1024 * 1024)).toThrow(/inflates to more than 1048576 bytes/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('refuses a cut stream and two concatenated members', () => {
    const g = gz(data);
    expect(() => gunzip(g.subarray(0, g.length >> 1))).toThrow(/corrupt or truncated/);
    const two = new Uint8Array([...gz(data.subarray(0, 10)), ...gz(data.subarray(10, 20))]);
    expect(() => gunzip(two)).toThrow(/more than one gzip member/);
  });
});
