// From the store's landscape records to what the views draw: the evaluation stamps a slider can
// step through, each run's landscape at a chosen stamp (or the latest, with the one in progress
// over it), and each run's sharpness at every recorded landscape.
import type { DualityResult, LandscapeResult, SharpnessResult } from '../../core/landscape/results';
import type { RunSpec } from '../../core/spec';
import { isDualityRecord, sliceRecords, type RunLandscapes } from '../../state/landscapeSlice';
import type { RunLandscape } from './LandscapePanel';

export interface RunInfo {
  id: string;
  name: string;
  color: string;
}

/** Distinct epochs at which some run recorded a finished landscape, ascending. */
export function landscapeStamps(runs: RunInfo[], all: Record<string, RunLandscapes>): number[] {
  const epochs = new Set<number>();
  for (const r of runs) for (const s of sliceRecords(all[r.id]?.slices ?? [])) epochs.add(s.epoch);
  return [...epochs].sort((a, b) => a - b);
}

/**
 * Each run's results at `epoch`: its last finished landscape at or before it. With no epoch (the
 * latest), the landscape in progress is shown over the last finished one, kind by kind.
 */
export function landscapesAt(runs: RunInfo[], all: Record<string, RunLandscapes>, epoch?: number): RunLandscape[] {
  return runs.map(({ id, name, color }) => {
    const rec = all[id];
    const finished = sliceRecords(rec?.slices ?? []).filter((s) => epoch === undefined || s.epoch <= epoch + 1e-9);
    let results: LandscapeResult[] = finished.at(-1)?.results ?? [];
    if (epoch === undefined && rec?.current && !isDualityRecord(rec.current)) {
      const live = rec.current.results;
      results = [...results.filter((r) => !live.some((l) => l.kind === r.kind)), ...live];
    }
    return { id, name, color, results };
  });
}

export interface SharpnessPoint {
  epoch: number;
  step: number;
  samSharpness: number;
  hessianTop: number;
}

/** Per run, the sharpness numbers of every finished landscape that has them, in training order. */
export function sharpnessHistory(
  runs: RunInfo[],
  all: Record<string, RunLandscapes>,
): { run: RunInfo; points: SharpnessPoint[] }[] {
  return runs.map((run) => ({
    run,
    points: sliceRecords(all[run.id]?.slices ?? [])
      .flatMap((s) => {
        const sh = s.results.find((r): r is SharpnessResult => r.kind === 'sharpness');
        return sh ? [{ epoch: s.epoch, step: s.step, samSharpness: sh.samSharpness, hessianTop: sh.hessianTop }] : [];
      })
      .sort((a, b) => a.step - b.step),
  }));
}

export interface DualityStamp {
  step: number;
  epoch: number;
  result: DualityResult;
}

/** A run's finished duality views, in training order. */
export function dualityHistory(all: Record<string, RunLandscapes>, runId: string | undefined): DualityStamp[] {
  if (runId === undefined) return [];
  return (all[runId]?.slices ?? [])
    .flatMap((s) => {
      const r = isDualityRecord(s) ? s.results.find((x): x is DualityResult => x.kind === 'duality') : undefined;
      return r ? [{ step: s.step, epoch: s.epoch, result: r }] : [];
    })
    .sort((a, b) => a.step - b.step);
}

/** The runs the duality grid shows: the first SAM run (else the first run) and the first AT run. */
export function dualityRoles(runs: readonly RunSpec[]): { sam?: RunSpec; at?: RunSpec } {
  return { sam: runs.find((r) => r.method === 'sam') ?? runs[0], at: runs.find((r) => r.method === 'at') };
}
