// How runs and budgets are named on the page. Pixel budgets read best as k/255 (the paper's unit)
// when they are whole or half steps of 1/255; other values are shown as they are.
import type { AttackSpec, RunSpec } from '../core/spec';

export function formatEps(eps: number): string {
  const halves = Math.round(eps * 255 * 2);
  if (eps > 0 && Math.abs(eps * 255 * 2 - halves) < 1e-6) return `${halves / 2}/255`;
  return `${Number(eps.toPrecision(3))}`;
}

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

export function attackLabel(a: AttackSpec): string {
  return `${a.norm === 'linf' ? 'L∞' : 'L2'} ${formatEps(a.eps)}`;
}
