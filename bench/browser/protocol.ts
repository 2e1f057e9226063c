// Messages between the benchmark page and its worker.
import type { BackendName } from '../../src/core/backend';
import type { GpuSuitePlan, GpuSuiteResult } from '../gpu/gpuSuite';
import type { PeerPlan, PeerSuiteResult } from '../peers/peerSuite';
import type { SuitePlan, SuiteResult } from '../lib/suite';

/** What a worker runs: the lab's own suite, the race against the peers, or the GPU bench's share of the suite. */
export type BenchJob =
  { kind: 'suite'; plan: SuitePlan } | { kind: 'peers'; plan: PeerPlan } | { kind: 'gpu'; plan: GpuSuitePlan };

export interface BenchRequest {
  backend: BackendName;
  job: BenchJob;
}

export type BenchResultOf<J extends BenchJob> = J extends { kind: 'suite' } ? SuiteResult : PeerSuiteResult;

export type BenchReply =
  | { type: 'log'; line: string }
  | { type: 'result'; result: SuiteResult | PeerSuiteResult | GpuSuiteResult }
  | { type: 'error'; message: string };
