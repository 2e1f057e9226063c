// PyTorch reference step times (bench/pytorch_step.py, Debian's python3-torch): on the CPU for the
// main bench, on a CUDA GPU for the GPU bench (bench/gpu/gpuBench.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { caseKey, type ModelCase } from './lib/measure';
import { ROOT } from './lib/serve';

// Debian's torch has no CUDA: a GPU machine may point this at a Python whose torch has.
export const PYTHON = process.env.DUALITY_PYTHON ?? '/usr/bin/python3';

export interface TorchResult {
  case: string;
  threads: number;
  /** 'cpu', or the CUDA device's name. */
  device?: string;
  ms: Record<string, number>;
}

/** Why PyTorch cannot run here, or undefined when it can. */
export function torchMissing(): string | undefined {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return `PyTorch is not installed for ${PYTHON} (Debian: apt install python3-torch)`;
  return undefined;
}

/** One case's step times; `args` adds pytorch_step.py flags (e.g. --device cuda). A failure is its last stderr line. */
export function torchCase(
  c: ModelCase,
  steps: number,
  args: string[] = [],
  timeoutMs = 600_000,
): TorchResult | { failed: string } {
  const r = spawnSync(
    PYTHON,
    [
      path.join(ROOT, 'bench/pytorch_step.py'),
      '--model',
      c.model,
      '--width',
      String(c.width),
      '--batch',
      String(c.batch),
      '--steps',
      String(steps),
      ...args,
    ],
    { encoding: 'utf8', timeout: timeoutMs },
  );
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    return { failed: (r.stderr || r.error?.message || '').trim().split('\n').at(-1) || `exit status ${r.status}` };
  const j = JSON.parse(line) as { threads: number; device?: string; ms: Record<string, number> };
  return { case: caseKey(c), threads: j.threads, device: j.device, ms: j.ms };
}

/** One line per case, or a reason why PyTorch could not run (then the comparison is skipped). */
export function runPytorch(
  cases: ModelCase[],
  steps: number,
  log: (line: string) => void,
): { results: TorchResult[]; skipped?: string } {
  const missing = torchMissing();
  if (missing) return { results: [], skipped: missing };
  const results: TorchResult[] = [];
  for (const c of cases) {
    const r = torchCase(c, steps);
    if ('failed' in r) {
      log(`pytorch ${caseKey(c)}: failed (${r.failed})`);
      continue;
    }
    results.push(r);
    log(
      `pytorch ${caseKey(c)} (${r.threads} threads): ${Object.entries(r.ms)
        .map(([m, v]) => `${m} ${v} ms`)
        .join(', ')}`,
    );
  }
  return { results };
}
