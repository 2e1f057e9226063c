// bench/pytorch_step.py --device cuda where PyTorch sees no GPU (Debian's torch has no CUDA): a
// clear failure, which the GPU bench prints as "PyTorch CUDA: not available (...)".
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { torchCase, torchMissing } from './pytorchBench';

const PYTHON = process.env.DUALITY_PYTHON ?? '/usr/bin/python3';
const missing = torchMissing();
const cuda =
  !missing &&
  spawnSync(PYTHON, ['-c', 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)']).status === 0;

describe.skipIf(missing !== undefined || cuda)('pytorch_step.py --device cuda without CUDA', () => {
  it('exits with a message saying CUDA is not available', () => {
    const r = torchCase({ model: 'preact-resnet10', width: 4, batch: 8 }, 1, ['--device', 'cuda', '--pgd', '5']);
    expect(r).toEqual({
      failed: expect.stringMatching(/^pytorch_step\.py: --device cuda: CUDA is not available \(torch .*\)$/),
    });
  });
});
