import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pssOf, treeMemory } from './processMemory';

describe('process memory', () => {
  it('reads PSS from smaps_rollup, and 0 from nothing', () => {
    const rollup = '55d0-7ffe ---p 00000000 00:00 0  [rollup]\nRss:   204800 kB\nPss:    51200 kB\nPss_Anon: 100 kB\n';
    expect(pssOf(rollup)).toBe(51200 * 1024);
    expect(pssOf('')).toBe(0);
  });

  it.skipIf(!fs.existsSync('/proc/self/smaps_rollup'))(
    "counts a child's memory, its shared pages less than their RSS",
    async () => {
      // A second node shares its binary's pages with this one: PSS charges it half of them, RSS all.
      const child = spawn(process.execPath, ['-e', 'console.log("up"); setTimeout(() => {}, 30000)']);
      try {
        await new Promise((r) => child.stdout.once('data', r));
        const m = treeMemory();
        expect(m.pssBytes).toBeGreaterThan(1e6);
        expect(m.pssBytes).toBeLessThan(m.rssBytes);
        expect(m.rendererPssBytes).toBe(0);
      } finally {
        child.kill();
      }
    },
  );
});
