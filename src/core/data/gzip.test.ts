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
    // 8 MiB of zeros whose last compressed bytes are damaged: only an inflater that went on past
    // the cap reaches the damage (or the trailer), so the cap's own error shows that it stopped.
    const bomb = gz(new Uint8Array(8 * 1024 * 1024));
    bomb.fill(0xff, bomb.length - 8 - 32, bomb.length - 8);
    expect(() => gunzip(bomb, 'bomb', 1024 * 1024)).toThrow(/inflates to more than 1048576 bytes/);
    expect(() => gunzip(bomb, 'bomb')).toThrow(/bomb: gzip data is corrupt/);
  });

  it('refuses a cut stream and two concatenated members', () => {
    const g = gz(data);
    expect(() => gunzip(g.subarray(0, g.length >> 1))).toThrow(/corrupt or truncated/);
    const two = new Uint8Array([...gz(data.subarray(0, 10)), ...gz(data.subarray(10, 20))]);
    expect(() => gunzip(two)).toThrow(/more than one gzip member/);
  });
});
