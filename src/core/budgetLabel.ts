// How budgets are named on the page and in reports. Pixel budgets read best as k/255 (the paper's
// unit) when they are whole or half steps of 1/255; other values are shown as they are.
import type { AttackSpec } from './spec';

export function formatEps(eps: number): string {
  const halves = Math.round(eps * 255 * 2);
  if (eps > 0 && Math.abs(eps * 255 * 2 - halves) < 1e-6) return `${halves / 2}/255`;
  return `${Number(eps.toPrecision(3))}`;
}

export function attackLabel(a: AttackSpec): string {
  return `${a.norm === 'linf' ? 'L∞' : 'L2'} ${formatEps(a.eps)}`;
}
