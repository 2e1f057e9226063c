// The loss landscapes of the runs: per run, every landscape recorded so far (stamped with the step
// and epoch it measures), the one being computed with its progress, and the requests the page has
// sent that the worker has not begun yet. Folded from the workers' landscape messages by a pure
// reducer; the run controller sends the requests.
import type { LandscapeCost, LandscapeKind, LandscapeResult } from '../core/landscape/results';
import type { FromWorker, LandscapeStartMessage } from '../worker/protocol';
import type { SliceCreator } from './sliceTypes';

/** A landscape as the page keeps it: stamped as its start message said, then filled in as results arrive. */
export interface LandscapeRecord extends Pick<
  LandscapeStartMessage,
  'requestId' | 'trigger' | 'kinds' | 'step' | 'epoch' | 'estimate'
> {
  /** One per kind in request order as far as computed; the last may be partial while in progress. */
  results: LandscapeResult[];
  /** Fraction done, by estimated passes. */
  progress: number;
  /** Wall time: of the whole request once done, of the results so far while in progress. */
  ms: number;
}

export interface RunLandscapes {
  /** Finished landscapes in the order they were computed. */
  slices: LandscapeRecord[];
  current?: LandscapeRecord;
  /** Requests sent by the page and not begun by the worker yet. */
  queued: string[];
  /** Why the last request failed, if it did. */
  error?: string;
}

export const EMPTY_RUN_LANDSCAPES: RunLandscapes = { slices: [], queued: [] };

/** A record of the duality view alone (computed at every evaluation), not a landscape of slices. */
export const isDualityRecord = (r: Pick<LandscapeRecord, 'kinds'>) => r.kinds.length === 1 && r.kinds[0] === 'duality';

/** The records of slices and sharpness, without the duality views. */
export const sliceRecords = (slices: LandscapeRecord[]) => slices.filter((s) => !isDualityRecord(s));

/** Forward-pass equivalents of an estimate: a gradient pass is about three forwards. */
export const passes = (c: LandscapeCost) => c.evals + 3 * c.gradEvals;

function withResult(results: LandscapeResult[], r: LandscapeResult): LandscapeResult[] {
  const i = results.findIndex((x) => x.kind === r.kind);
  return i < 0 ? [...results, r] : results.map((x, k) => (k === i ? r : x));
}

function applyOne(run: RunLandscapes, msg: FromWorker): RunLandscapes {
  switch (msg.type) {
    case 'landscape-start':
      return {
        ...run,
        queued: run.queued.filter((q) => q !== msg.requestId),
        error: undefined,
        current: {
          requestId: msg.requestId,
          trigger: msg.trigger,
          kinds: msg.kinds,
          step: msg.step,
          epoch: msg.epoch,
          estimate: msg.estimate,
          results: [],
          progress: 0,
          ms: 0,
        },
      };
    case 'landscape-partial': {
      const c = run.current;
      if (c?.requestId !== msg.requestId) return run;
      const results = withResult(c.results, msg.result);
      return { ...run, current: { ...c, results, progress: msg.progress, ms: results.reduce((s, r) => s + r.ms, 0) } };
    }
    case 'landscape-done': {
      const c = run.current;
      if (c?.requestId !== msg.requestId) return run;
      return {
        ...run,
        current: undefined,
        slices: [...run.slices, { ...c, results: msg.results, progress: 1, ms: msg.ms }],
      };
    }
    case 'landscape-cancelled':
      return {
        ...run,
        queued: run.queued.filter((q) => q !== msg.requestId),
        current: run.current?.requestId === msg.requestId ? undefined : run.current,
        error: msg.message ?? run.error,
      };
    default:
      return run;
  }
}

/** Folds a batch of worker messages; runs not named by a landscape message keep their identity. */
export function applyLandscapeMessages(
  all: Record<string, RunLandscapes>,
  batch: FromWorker[],
): Record<string, RunLandscapes> {
  let next = all;
  for (const msg of batch) {
    if (!msg.type.startsWith('landscape-')) continue;
    const run = next[msg.runId] ?? EMPTY_RUN_LANDSCAPES;
    const updated = applyOne(run, msg);
    if (updated !== run) {
      if (next === all) next = { ...all };
      next[msg.runId] = updated;
    }
  }
  return next;
}

export interface LandscapeSlice {
  landscapes: Record<string, RunLandscapes>;
  applyLandscapeMessages(batch: FromWorker[]): void;
  /** The page sent a request: shown as queued until the worker begins it. */
  landscapeRequested(runId: string, requestId: string): void;
  /** Forgets one run's landscapes (Restart), or every run's (undefined: a new experiment). */
  clearLandscapes(runId?: string): void;
}

export const createLandscapeSlice: SliceCreator<LandscapeSlice> = (set, get) => ({
  landscapes: {},
  applyLandscapeMessages(batch) {
    const next = applyLandscapeMessages(get().landscapes, batch);
    if (next !== get().landscapes) set({ landscapes: next });
  },
  landscapeRequested(runId, requestId) {
    const run = get().landscapes[runId] ?? EMPTY_RUN_LANDSCAPES;
    set({
      landscapes: { ...get().landscapes, [runId]: { ...run, error: undefined, queued: [...run.queued, requestId] } },
    });
  },
  clearLandscapes(runId) {
    if (runId === undefined) return set({ landscapes: {} });
    const rest = { ...get().landscapes };
    delete rest[runId];
    set({ landscapes: rest });
  },
});

/** Values a result holds: points of a 1-D slice, cells of a 2-D one, 1 for the sharpness numbers and a duality view. */
export function resultValues(r: LandscapeResult): number {
  if (r.kind === 'weight-1d') return r.loss.length;
  if (r.kind === 'input-1d') return Math.min(r.lossAdv.length, r.lossRand.length);
  if (r.kind === 'sharpness' || r.kind === 'duality') return 1;
  return r.loss.reduce((n, row) => n + row.length, 0);
}

const recordSnapshot = (r: LandscapeRecord) => ({
  requestId: r.requestId,
  trigger: r.trigger,
  step: r.step,
  epoch: r.epoch,
  progress: r.progress,
  values: Object.fromEntries(r.results.map((x) => [x.kind, resultValues(x)])) as Partial<Record<LandscapeKind, number>>,
});

/** The landscapes as the end-to-end tests read them (plain data, no result arrays). */
export function landscapeSnapshot(all: Record<string, RunLandscapes>) {
  return Object.fromEntries(
    Object.entries(all).map(([id, r]) => [
      id,
      {
        slices: sliceRecords(r.slices).map(recordSnapshot),
        duality: r.slices.filter(isDualityRecord).map(recordSnapshot),
        current: r.current && recordSnapshot(r.current),
        queued: r.queued.length,
        error: r.error,
      },
    ]),
  );
}
