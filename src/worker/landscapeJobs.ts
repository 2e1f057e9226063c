// The run worker's landscape queue: requests (after an evaluation, at the end, or asked for by the
// page) wait here until the training loop is between steps, paused or ended (core/run/lifecycle.ts); then they
// run one after another on the run's model. computeLandscape leaves the weights bit-exact and the
// BatchNorm buffers untouched, so training goes on exactly as if nothing had been computed.
import { LandscapeCancelled } from '../core/landscape/cancel';
import { computeLandscape } from '../core/landscape/computeLandscape';
import {
  ALL_LANDSCAPE_KINDS,
  estimateLandscapeCost,
  sharpnessRho,
  type LandscapeRequest,
} from '../core/landscape/request';
import type { LandscapeKind, LandscapeResult } from '../core/landscape/results';
import type { DatasetSplit } from '../core/data/dataset';
import type { Model } from '../core/model/model';
import type { ExperimentSpec, RunSpec } from '../core/spec';
import type { LandscapeFromWorker, LandscapeTrigger } from './protocol';

/** What a landscape is computed on: the run's model now, and the training point it stands at. */
export interface LandscapeSubject {
  model: Model;
  data: DatasetSplit;
  spec: ExperimentSpec;
  run: RunSpec;
  step: number;
  epoch: number;
}

export interface LandscapeJobs {
  enqueue(requestId: string, kinds: LandscapeKind[], trigger: LandscapeTrigger): void;
  /** A queued request is dropped; the running one stops at its next point. */
  cancel(requestId: string): void;
  cancelAll(message?: string): void;
  /** Runs every queued request in turn; callers at the same time share one drain. */
  drain(): Promise<void>;
}

export interface LandscapeJobDeps {
  runId: string;
  post(message: LandscapeFromWorker): void;
  /** The model to measure, or undefined while it does not exist yet. */
  subject(): LandscapeSubject | undefined;
  /** Lets queued messages in (a macrotask), between points of a slice. */
  yieldToEvents(): Promise<void>;
  now(): number;
}

interface Job {
  requestId: string;
  kinds: LandscapeKind[];
  trigger: LandscapeTrigger;
  signal: { aborted: boolean };
}

/** Fraction of a result done: points (1-D) or rows (2-D) present over those asked for. */
function resultFraction(r: LandscapeResult): number {
  switch (r.kind) {
    case 'weight-1d':
      return r.loss.length / r.alphas.length;
    case 'input-1d':
      return (r.lossAdv.length + r.lossRand.length) / (2 * r.ts.length);
    case 'weight-2d':
    case 'input-2d':
      return r.loss.length / r.alphas.length;
    case 'sharpness':
    case 'duality':
      return 1;
  }
}

/** Forward-pass equivalents of a request, per kind: a gradient pass costs about three forwards. */
function kindWeights(spec: ExperimentSpec, kinds: LandscapeKind[]): number[] {
  return kinds.map((kind) => {
    const c = estimateLandscapeCost(spec, { kinds: [kind] });
    return c.evals + 3 * c.gradEvals;
  });
}

export function createLandscapeJobs(deps: LandscapeJobDeps): LandscapeJobs {
  const queue: Job[] = [];
  let current: Job | undefined;
  let draining: Promise<void> | undefined;

  const cancelled = (requestId: string, message?: string) =>
    deps.post({
      type: 'landscape-cancelled',
      runId: deps.runId,
      requestId,
      ...(message === undefined ? {} : { message }),
    });

  async function runJob(job: Job, s: LandscapeSubject): Promise<void> {
    const t0 = deps.now();
    const request: LandscapeRequest = { kinds: job.kinds, rho: sharpnessRho(s.run) };
    deps.post({
      type: 'landscape-start',
      runId: deps.runId,
      requestId: job.requestId,
      trigger: job.trigger,
      kinds: job.kinds,
      step: s.step,
      epoch: s.epoch,
      estimate: estimateLandscapeCost(s.spec, request),
    });
    const weights = kindWeights(s.spec, job.kinds);
    const total = weights.reduce((a, b) => a + b, 0) || 1;
    try {
      const results = await computeLandscape(
        s.model,
        s.data,
        s.spec,
        request,
        async (partial) => {
          const k = job.kinds.indexOf(partial.kind);
          const before = weights.slice(0, k).reduce((a, b) => a + b, 0);
          const progress = (before + weights[k] * resultFraction(partial)) / total;
          // Posting clones the partial at once, as computeLandscape requires.
          deps.post({
            type: 'landscape-partial',
            runId: deps.runId,
            requestId: job.requestId,
            result: partial,
            progress,
          });
          await deps.yieldToEvents();
        },
        job.signal,
        s.run,
      );
      deps.post({ type: 'landscape-done', runId: deps.runId, requestId: job.requestId, results, ms: deps.now() - t0 });
    } catch (e) {
      if (e instanceof LandscapeCancelled) cancelled(job.requestId);
      else cancelled(job.requestId, `landscape failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      const s = deps.subject();
      if (!s) return; // no model yet: the requests wait for the first checkpoint
      const job = queue.shift();
      if (!job) return;
      current = job;
      await runJob(job, s);
      current = undefined;
    }
  }

  return {
    enqueue(requestId, kinds, trigger) {
      const known = kinds.filter((k) => ALL_LANDSCAPE_KINDS.includes(k));
      if (known.length === 0) return cancelled(requestId, `no landscape kinds in ${JSON.stringify(kinds)}`);
      queue.push({ requestId, kinds: known, trigger, signal: { aborted: false } });
    },
    cancel(requestId) {
      if (current?.requestId === requestId) current.signal.aborted = true;
      const i = queue.findIndex((j) => j.requestId === requestId);
      if (i >= 0) {
        queue.splice(i, 1);
        cancelled(requestId);
      }
    },
    cancelAll(message) {
      if (current) current.signal.aborted = true;
      for (const j of queue.splice(0)) cancelled(j.requestId, message);
    },
    drain() {
      // finally() runs as a microtask, so `draining` is always set before it is cleared.
      draining ??= loop().finally(() => {
        current = undefined;
        draining = undefined;
      });
      return draining;
    },
  };
}
