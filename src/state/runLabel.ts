// How runs are named on the page (budgets: core/budgetLabel.ts).
import { formatEps } from '../core/budgetLabel';
import type { RunSpec } from '../core/spec';

function methodLabel(run: RunSpec): string {
  if (run.method === 'sgd') return 'SGD';
  if (run.method === 'sam') return `SAM ρ=${run.rho}`;
  return `AT ${run.norm === 'linf' ? 'L∞' : 'L2'} ${formatEps(run.eps)}`;
}

/** The run's label, else its method and parameters, with its own learning rate when it has one (two SGD runs then differ). */
export function runLabel(run: RunSpec): string {
  if (run.label) return run.label;
  return run.lr === undefined ? methodLabel(run) : `${methodLabel(run)} lr=${run.lr}`;
}
