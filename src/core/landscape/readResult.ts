// Reads a landscape result back from untrusted storage (a saved experiment may come from an older
// version of the page, or have been edited): every field of results.ts is checked and a new object
// is built from the known fields only. Axes, counts and settings must be finite; measured losses
// and accuracies need only be numbers, since a diverged model gives NaN or infinite losses (the
// views draw them as gaps), but their arrays must have the axes' shape.
import { isCount, isFiniteNumber, isNonNegative, isObject, need, UntrustedDataError } from '../untrusted';
import { LANDSCAPE_KINDS } from './request';
import type { InputAdversary, LandscapeCost, LandscapeResult } from './results';

const ADVERSARIES: readonly InputAdversary[] = ['pgd', 'gradient-sign'];

function axis(raw: unknown, at: string): number[] {
  need(Array.isArray(raw) && raw.length > 0 && raw.every(isFiniteNumber), `${at} must be a non-empty array of finite numbers`);
  return [...(raw as number[])];
}

function values(raw: unknown, n: number, at: string): number[] {
  need(Array.isArray(raw) && raw.length === n && raw.every((v) => typeof v === 'number'), `${at} must be an array of ${n} numbers`);
  return [...(raw as number[])];
}

function grid(raw: unknown, rows: number, cols: number, at: string): number[][] {
  need(Array.isArray(raw) && raw.length === rows, `${at} must be an array of ${rows} rows`);
  return (raw as unknown[]).map((row, i) => values(row, cols, `${at}[${i}]`));
}

export function readLandscapeCost(raw: unknown, at: string): LandscapeCost {
  need(isObject(raw), `${at} must be an object {evals, gradEvals}`);
  need(isCount(raw.evals), `${at}.evals must be an integer >= 0`);
  need(isCount(raw.gradEvals), `${at}.gradEvals must be an integer >= 0`);
  return { evals: raw.evals, gradEvals: raw.gradEvals };
}

function adversary(raw: unknown, at: string): InputAdversary {
  need(ADVERSARIES.includes(raw as InputAdversary), `${at} must be one of ${ADVERSARIES.join(', ')}`);
  return raw as InputAdversary;
}

/** A checked copy of `raw`; throws UntrustedDataError naming the first bad field (`at` prefixes it). */
export function readLandscapeResult(raw: unknown, at: string): LandscapeResult {
  need(isObject(raw), `${at} must be an object`);
  need(isCount(raw.batchSize) && raw.batchSize > 0, `${at}.batchSize must be an integer > 0`);
  need(isCount(raw.evals), `${at}.evals must be an integer >= 0`);
  need(isCount(raw.gradEvals), `${at}.gradEvals must be an integer >= 0`);
  need(isNonNegative(raw.ms), `${at}.ms must be a number >= 0`);
  const measured = { batchSize: raw.batchSize, estimate: readLandscapeCost(raw.estimate, `${at}.estimate`), evals: raw.evals, gradEvals: raw.gradEvals, ms: raw.ms };
  switch (raw.kind) {
    case 'weight-1d': {
      const alphas = axis(raw.alphas, `${at}.alphas`);
      return { kind: raw.kind, ...measured, alphas, loss: values(raw.loss, alphas.length, `${at}.loss`), acc: values(raw.acc, alphas.length, `${at}.acc`) };
    }
    case 'input-1d': {
      const ts = axis(raw.ts, `${at}.ts`);
      const n = ts.length;
      return {
        kind: raw.kind,
        ...measured,
        adversary: adversary(raw.adversary, `${at}.adversary`),
        ts,
        lossAdv: values(raw.lossAdv, n, `${at}.lossAdv`),
        lossRand: values(raw.lossRand, n, `${at}.lossRand`),
        accAdv: values(raw.accAdv, n, `${at}.accAdv`),
        accRand: values(raw.accRand, n, `${at}.accRand`),
      };
    }
    case 'weight-2d':
    case 'input-2d': {
      const alphas = axis(raw.alphas, `${at}.alphas`);
      const betas = axis(raw.betas, `${at}.betas`);
      const surface = { alphas, betas, loss: grid(raw.loss, alphas.length, betas.length, `${at}.loss`), acc: grid(raw.acc, alphas.length, betas.length, `${at}.acc`) };
      return raw.kind === 'weight-2d' ? { kind: raw.kind, ...measured, ...surface } : { kind: raw.kind, ...measured, adversary: adversary(raw.adversary, `${at}.adversary`), ...surface };
    }
    case 'sharpness': {
      for (const k of ['loss', 'samSharpness', 'hessianTop', 'relChange'] as const) need(typeof raw[k] === 'number', `${at}.${k} must be a number`);
      need(isNonNegative(raw.rho), `${at}.rho must be a number >= 0`);
      need(isNonNegative(raw.tolerance), `${at}.tolerance must be a number >= 0`);
      need(isCount(raw.iterations), `${at}.iterations must be an integer >= 0`);
      need(typeof raw.converged === 'boolean', `${at}.converged must be true or false`);
      return {
        kind: raw.kind,
        ...measured,
        loss: raw.loss as number,
        samSharpness: raw.samSharpness as number,
        rho: raw.rho,
        hessianTop: raw.hessianTop as number,
        iterations: raw.iterations,
        relChange: raw.relChange as number,
        tolerance: raw.tolerance,
        converged: raw.converged,
      };
    }
    default:
      throw new UntrustedDataError(`${at}.kind must be one of ${LANDSCAPE_KINDS.join(', ')}`);
  }
}
