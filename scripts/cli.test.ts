// Bad usage of every command stops it before it does anything: one short line naming the flag,
// and exit status 2 (lab.test.ts covers a bad spec, status 1).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArgs, UsageError, wholeNumber, wholeNumbers } from './lib/cli';

const root = path.resolve(__dirname, '..');
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8', timeout: 110_000 });

describe('command-line arguments', () => {
  it('reads flags and values, and refuses unknown flags, missing values and bad numbers by name', () => {
    const options = { out: { type: 'string' }, quick: { type: 'boolean', default: false } } as const;
    expect(readArgs(['--out', 'x.json', 'spec.json'], options, true)).toMatchObject({
      values: { out: 'x.json', quick: false },
      positionals: ['spec.json'],
    });
    expect(() => readArgs(['--outt', 'x'], options)).toThrow(new UsageError("Unknown option '--outt'"));
    expect(() => readArgs(['--out'], options)).toThrow(/'--out <value>' argument missing/);
    expect(() => readArgs(['spec.json'], options)).toThrow(/Unexpected argument 'spec.json'/);
    expect(wholeNumbers('--seeds', '1,2, 3')).toEqual([1, 2, 3]);
    for (const bad of ['a,b', '1,,2', '1.5', '-1', '']) expect(() => wholeNumbers('--seeds', bad)).toThrow(UsageError);
    expect(() => wholeNumber('--epochs', '0')).toThrow(/--epochs must be a whole number >= 1, got "0"/);
  });

  it.each([
    [
      'scripts/checkPreset.ts',
      ['duality-two-minutes', '--seeds', 'a,b'],
      /--seeds must be whole numbers separated by commas, got "a,b"/,
    ],
    ['scripts/lab.ts', ['run', 'spec.json', '--outt', 'r.json'], /Unknown option '--outt'/],
    ['scripts/datasets.ts', ['--quick', '--cifar'], /Unknown option '--cifar'/],
    ['bench/bench.ts', ['--only', 'nodes'], /--only must be one of node, pytorch, browser, peers, page, got "nodes"/],
  ])('%s %j: a short error and exit status 2', (script, args, message) => {
    const res = run(script, ...args);
    expect(res.status, res.stderr).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(res.stdout).toBe(''); // stopped before doing anything
  });
});
