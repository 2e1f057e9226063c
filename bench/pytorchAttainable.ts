// PyTorch's attainable FLOP/s on the CPU (bench/pytorch_attainable.py): the lab's probe shapes, on
// the thread count of PyTorch's step times.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { AttainablePlan, AttainableResult } from './lib/attainable';
import { ROOT } from './lib/serve';
import { PYTHON } from './pytorchBench';

/** Undefined, with a line in the log, when the script fails (the steps' comparison still stands). */
export function runPytorchAttainable(plan: AttainablePlan, log: (line: string) => void): AttainableResult | undefined {
  const args = [
    path.join(ROOT, 'bench/pytorch_attainable.py'),
    '--matmul',
    String(plan.matmul),
    ...plan.convs.flatMap((c) => ['--conv', [c.batch, c.size, c.cIn, c.cOut, c.k].join(',')]),
    '--reps',
    String(plan.reps),
    '--budget-ms',
    String(plan.budgetMs),
  ];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 300_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    log(`pytorch attainable: failed (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)})`);
    return undefined;
  }
  const out = JSON.parse(line) as AttainableResult;
  log(
    `pytorch attainable (${out.threads} threads): ${[out.matmul, ...out.convs].map((o) => `${o.op} ${o.gflops} GFLOP/s`).join(', ')}`,
  );
  return out;
}
