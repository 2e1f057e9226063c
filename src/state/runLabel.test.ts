import { describe, expect, it } from 'vitest';
import { formatEps } from '../core/budgetLabel';
import { runLabel } from './runLabel';

describe('run labels', () => {
  it('names the method and its parameters, and a run-level learning rate', () => {
    expect(runLabel({ id: 'a', method: 'sgd' })).toBe('SGD');
    expect(runLabel({ id: 'b', method: 'sgd', lr: 1e6 })).toBe('SGD lr=1000000');
    expect(runLabel({ id: 'c', method: 'sam', rho: 0.02 })).toBe('SAM ρ=0.02');
    expect(runLabel({ id: 'd', method: 'at', norm: 'linf', eps: 8 / 255, stepSize: 2 / 255, steps: 10 })).toBe(
      'AT L∞ 8/255',
    );
    expect(runLabel({ id: 'e', method: 'sgd', label: 'baseline', lr: 3 })).toBe('baseline');
  });

  it('writes whole and half steps of 1/255 as k/255, other budgets as numbers', () => {
    expect(formatEps(4 / 255)).toBe('4/255');
    expect(formatEps(0.5 / 255)).toBe('0.5/255');
    expect(formatEps(0.05)).toBe('0.05');
  });
});
