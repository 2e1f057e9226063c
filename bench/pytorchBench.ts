// PyTorch reference step times on the CPU (bench/pytorch_step.py, Debian's python3-torch).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { caseKey, type ModelCase } from './lib/measure';
import { ROOT } from './lib/serve';

export const PYTHON = '/usr/bin/python3';

export interface TorchResult {
  case: string;
  threads: number;
  ms: Record<string, number>;
}

/** One line per case, or a reason why PyTorch could not run (then the comparison is skipped). */
export function runPytorch(
  cases: ModelCase[],
  steps: number,
  log: (line: string) => void,
): { results: TorchResult[]; skipped?: string } {
  if (!fs.existsSync(PYTHON)) return { results: [], skipped: `${PYTHON} not found` };
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return { results: [], skipped: `PyTorch is not installed for ${PYTHON} (Debian: apt install python3-torch)` };
  const results: TorchResult[] = [];
  for (const c of cases) {
    const args = [
      path.join(ROOT, 'bench/pytorch_step.py'),
      '--model',
      c.model,
      '--width',
      String(c.width),
      '--batch',
      String(c.batch),
      '--steps',
      String(steps),
    ];
    const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 600_000 });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      log(`pytorch ${caseKey(c)}: failed (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)})`);
      continue;
    }
    const j = JSON.parse(line) as { threads: number; ms: Record<string, number> };
    results.push({ case: caseKey(c), threads: j.threads, ms: j.ms });
    log(
      `pytorch ${caseKey(c)} (${j.threads} threads): ${Object.entries(j.ms)
        .map(([m, v]) => `${m} ${v} ms`)
        .join(', ')}`,
    );
  }
  return { results };
}
