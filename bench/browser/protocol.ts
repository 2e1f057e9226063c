// Messages between the benchmark page and its worker.
import type { BackendName } from '../../src/core/backend';
import type { PeerPlan, PeerSuiteResult } from '../peers/peerSuite';
import type { SuitePlan, SuiteResult } from '../lib/suite';

/** What a worker runs: the lab's own suite, or the race against the peers. */
export type BenchJob = { kind: 'suite'; plan: SuitePlan } | { kind: 'peers'; plan: PeerPlan };

export interface BenchRequest {
  backend: BackendName;
  job: BenchJob;
}

export type BenchResultOf<J extends BenchJob> = J extends { kind: 'suite' } ? SuiteResult : PeerSuiteResult;

export type BenchReply =
  | { type: 'log'; line: string }
  | { type: 'result'; result: SuiteResult | PeerSuiteResult }
  | { type: 'error'; message: string };
