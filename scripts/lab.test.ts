import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attackKey, validateSpec } from '../src/core/spec';
import type { Results } from '../src/core/train/results';
import { readSpecFile } from './lib/readSpecFile';

const dir = mkdtempSync(path.join(tmpdir(), 'lab-cli-'));
const lab = (...args: string[]) =>
  spawnSync('npx', ['tsx', 'scripts/lab.ts', ...args], {
    cwd: path.resolve(__dirname, '..'),
    encoding: 'utf8',
    timeout: 110_000,
  });

describe('lab CLI', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a tiny spec end to end and writes valid results', () => {
    const spec = {
      seed: 3,
      dataset: { name: 'toy', trainSize: 64, testSize: 32 },
      model: { name: 'linear', width: 4, depth: 1 },
      train: { epochs: 1, batchSize: 16, lr: 0.1, schedule: 'constant' },
      eval: {
        subsetSize: 32,
        attacks: [{ norm: 'linf', eps: 0.1 }],
        pgdSteps: 2,
        every: 1,
        during: { subsetSize: 32, pgdSteps: 2 },
      },
      runs: [
        { id: 'sgd', method: 'sgd' },
        { id: 'at', method: 'at', norm: 'l2', eps: 0.2, stepSize: 0.1, steps: 2 },
      ],
    };
    writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
    const out = path.join(dir, 'results.json');
    const r = lab('run', path.join(dir, 'spec.json'), '--out', out, '--backend', 'cpu');
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.backend).toBe('cpu');
    expect(validateSpec(results.spec).ok).toBe(true);
    expect(results.runs.map((x) => [x.id, x.method, x.status])).toEqual([
      ['sgd', 'sgd', 'done'],
      ['at', 'at', 'done'],
    ]);
    for (const run of results.runs) {
      expect(run.history.map((p) => p.step)).toEqual([0, 4]);
      expect(run.history[1].trainLoss).toBeGreaterThan(0);
      expect(
        run.history[1].robust[attackKey(spec.eval.attacks[0] as { norm: 'linf'; eps: number })],
      ).toBeGreaterThanOrEqual(0);
      expect(run.msPerStep).toBeGreaterThan(0);
    }
    // Written by rename: no temporary file is left next to it.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(r.stderr).toMatch(/sgd .*100%/);
  });

  it('refuses a bad spec, naming the bad fields, and writes nothing', () => {
    writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({ seed: -1, train: { lr: 0 }, runs: [{ id: 'a', method: 'adam' }] }),
    );
    const out = path.join(dir, 'bad-results.json');
    const r = lab('run', path.join(dir, 'bad.json'), '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/seed:/);
    expect(r.stderr).toMatch(/train\.lr:/);
    expect(r.stderr).toMatch(/runs\[0\]\.method:/);
    expect(existsSync(out)).toBe(false);
  });

  it('reports a missing file, bad JSON and bad fields as one clear error each', () => {
    writeFileSync(path.join(dir, 'broken.json'), '{ "seed": ');
    expect(() => readSpecFile(path.join(dir, 'broken.json'))).toThrow(/broken\.json is not valid JSON/);
    expect(() => readSpecFile(path.join(dir, 'missing.json'))).toThrow(/cannot read spec .*missing\.json/);
    writeFileSync(path.join(dir, 'list.json'), '[1, 2]');
    expect(() => readSpecFile(path.join(dir, 'list.json'))).toThrow(/must be a JSON object/);
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ seed: 9, model: { name: 'mlp', width: 8, depth: 2 } }));
    expect(readSpecFile(path.join(dir, 'ok.json'))).toMatchObject({
      seed: 9,
      model: { name: 'mlp', width: 8, depth: 2 },
    });
  });
});
