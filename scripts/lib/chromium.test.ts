import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumExecutable, DEFAULT_CHROMIUM } from './chromium';

describe('chromiumExecutable', () => {
  const fake = path.join(mkdtempSync(path.join(os.tmpdir(), 'chromium-')), 'chromium');
  writeFileSync(fake, '');

  it('takes the explicit path, then $CHROMIUM_PATH', () => {
    expect(chromiumExecutable(fake, { CHROMIUM_PATH: '/nowhere' })).toBe(fake);
    expect(chromiumExecutable(undefined, { CHROMIUM_PATH: fake })).toBe(fake);
  });

  it('refuses a missing browser at once, naming the path and the install command', () => {
    expect(() => chromiumExecutable(undefined, { CHROMIUM_PATH: '/nowhere/chromium' })).toThrow(
      'Chromium not found at /nowhere/chromium: install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)',
    );
    expect(() => chromiumExecutable('/nowhere/chrome', {})).toThrow(
      /Chromium not found at \/nowhere\/chrome: .*or pass another --chromium/,
    );
    expect(DEFAULT_CHROMIUM).toBe('/usr/bin/chromium');
  });
});
