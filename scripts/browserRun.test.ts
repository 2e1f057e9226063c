import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../src/core/spec';
import { encodeShareHash } from '../src/state/shareUrl';
import { specFromSource } from './lib/specFromSource';

const dir = mkdtempSync(path.join(tmpdir(), 'lab-browser-'));

describe('lab --browser: the spec from a share URL', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a share link, and an old #spec= link', () => {
    const spec = { ...structuredClone(DEFAULT_SPEC), seed: 99 };
    expect(specFromSource(`http://127.0.0.1:5173/${encodeShareHash(spec)}`)).toEqual(spec);
    expect(specFromSource(`https://lab.example/#spec=${encodeURIComponent(JSON.stringify(spec))}`)).toEqual(spec);
  });

  it('refuses a damaged, tampered, future or empty link with the reason', () => {
    const good = `http://h/${encodeShareHash(DEFAULT_SPEC)}`;
    expect(() => specFromSource(good.slice(0, -12))).toThrow(
      /bad share URL: The link was not read: it is damaged or truncated/,
    );
    expect(() => specFromSource('http://h/#x=9.AAAA')).toThrow(/newer version/);
    expect(() => specFromSource('http://h/#spec=%7B%22train%22%3A%7B%22lr%22%3A-1%7D%7D')).toThrow(
      /bad share URL: .*train\.lr/s,
    );
    expect(() => specFromSource('http://h/page')).toThrow(/holds no experiment/);
    expect(() => specFromSource('http://h/#other=1')).toThrow(/holds no experiment/);
  });

  it('the CLI fails on a bad URL with a clear message, a non-zero exit and no file written', () => {
    const out = path.join(dir, 'results.json');
    const r = spawnSync(
      'npx',
      ['tsx', 'scripts/lab.ts', 'run', 'http://127.0.0.1/#x=1.AAAAbroken', '--browser', '--out', out],
      {
        cwd: path.resolve(__dirname, '..'),
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/lab: bad share URL: The link was not read: it is damaged or truncated/);
    expect(existsSync(out)).toBe(false);
  });
});
