import { describe, expect, it } from 'vitest';
import { attainableMarkdown } from './attainableReport';
import type { BenchResult } from './bench';
import type { AttainableResult } from './lib/attainable';
import type { SuiteResult } from './lib/suite';

const CASE = 'preact-resnet10-w16-b64';
const shape = { batch: 64, size: 32, cIn: 16, cOut: 16, k: 3 };
const probe = (conv: number): AttainableResult => ({
  threads: 1,
  matmul: { op: 'matmul 1024', flops: 2 ** 31, medianMs: 100, gflops: 21.5, reps: 5 },
  convs: [{ op: 'conv b64 32x32 16->16 3x3', flops: 3e8, medianMs: 20, gflops: conv, reps: 5, shape }],
});

function result(labMs: number): BenchResult {
  const suite: SuiteResult = {
    backend: 'node-wasm',
    convGradient: '',
    items: [
      {
        case: CASE,
        method: 'sgd',
        timing: {
          medianMs: labMs,
          minMs: labMs,
          maxMs: labMs,
          steps: 3,
          forwardFlops: 1,
          stepFlops: 6e9,
          gflops: 6e9 / labMs / 1e6,
        },
      },
    ],
    memory: {},
    convGradients: [],
    attainable: probe(20),
    seconds: 1,
  };
  return {
    node: [suite],
    browser: [],
    pytorch: { results: [{ case: CASE, threads: 1, ms: { sgd: 400 } }], attainable: probe(40) },
  } as unknown as BenchResult;
}

describe('attainable FLOP/s report', () => {
  it("gives each step's share of the conv of its width and the goal's verdict on wasm", () => {
    const md = attainableMarkdown(result(500)).join('\n');
    // 6 GFLOP / 500 ms = 12 GFLOP/s of the lab's 20; PyTorch 15 of its 40.
    expect(md).toContain(`| node-wasm | ${CASE} | 20 | 12 (60 %) |`);
    expect(md).toContain(`| pytorch | ${CASE} | 40 | 15 (38 %) |`);
    expect(md).toContain(`| ${CASE} | sgd | 500.0 | 400.0 | 1.25 | holds | 60 % / 38 % |`);
    expect(md).toContain('holds on 1 of 1 steps');
    expect(md).toContain('conv b64 32x32 16->16 3x3 x2.00');
    expect(attainableMarkdown(result(700)).join('\n')).toContain('| 1.75 | **over** |');
  });
});
