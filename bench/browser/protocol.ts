// Messages between the benchmark page and its worker.
import type { BackendName } from '../../src/core/backend';
import type { GpuSuitePlan, GpuSuiteResult } from '../gpu/gpuSuite';
import type { SuitePlan, SuiteResult } from '../lib/suite';

/** The full suite (bench/lib/suite.ts), or the GPU bench's share (bench/gpu/gpuSuite.ts). */
export type BenchRequest = { backend: BackendName; plan: SuitePlan } | { backend: BackendName; gpu: GpuSuitePlan };

export type BenchReply =
  | { type: 'log'; line: string }
  | { type: 'result'; result: SuiteResult | GpuSuiteResult }
  | { type: 'error'; message: string };
