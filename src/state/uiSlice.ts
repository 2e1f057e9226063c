// Page settings that are not part of the experiment.
import type { SliceCreator } from './sliceTypes';

export interface UiSlice {
  /** Attack key (attackKey()) whose robust accuracy the accuracy chart shows; undefined: the first. */
  chartAttack: string | undefined;
  /** A one-line message for the user, e.g. what was wrong with a spec in the URL. */
  notice: string | undefined;
  /** Runs trained at the same time; the rest wait, queued. */
  maxParallel: number;
  setChartAttack(key: string | undefined): void;
  setNotice(text: string | undefined): void;
  setMaxParallel(n: number): void;
}

/**
 * Runs stepping at once: one per core, at most four. Runs sharing a worker step one at a time
 * whatever this says (runController.ts), so it counts only with several workers (?workers=N): on
 * the 2-core test machine the default preset took 107 s with two stepping at once against 157 s
 * with one, in a worker each (bench/results/2026-12-01-vm-page.md).
 */
export function defaultParallelism(cores: number | undefined): number {
  return Math.max(1, Math.min(4, cores ?? 2));
}

export const createUiSlice =
  (maxParallel: number): SliceCreator<UiSlice> =>
  (set) => ({
    chartAttack: undefined,
    notice: undefined,
    maxParallel,
    setChartAttack: (key) => set({ chartAttack: key }),
    setNotice: (text) => set({ notice: text }),
    setMaxParallel: (n) => set({ maxParallel: Math.max(1, Math.floor(n)) }),
  });
