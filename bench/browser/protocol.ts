// Messages between the benchmark page and its worker.
import type { BackendName } from '../../src/core/backend';
import type { SuitePlan, SuiteResult } from '../lib/suite';

export interface BenchRequest {
  backend: BackendName;
  plan: SuitePlan;
}

export type BenchReply =
  { type: 'log'; line: string } | { type: 'result'; result: SuiteResult } | { type: 'error'; message: string };
