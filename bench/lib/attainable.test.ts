import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../scripts/lib/nodeBackend';
import { convFlops, convLabel, matmulFlops, measureAttainable, type ConvShape } from './attainable';

describe('attainable FLOP/s probe', () => {
  beforeAll(() => useBackend('cpu'));

  it('counts 2 FLOPs per multiply-add of the matmul and of the conv as its im2col matmul', () => {
    expect(matmulFlops(1024, 1024, 1024)).toBe(2 ** 31);
    expect(matmulFlops(2, 3, 4)).toBe(48);
    const c: ConvShape = { batch: 64, size: 32, cIn: 64, cOut: 64, k: 3 };
    expect(convFlops(c)).toBe(4_831_838_208);
    // Same padding, stride 1: one output per input pixel, each a dot product of k*k*cIn.
    const odd: ConvShape = { batch: 3, size: 5, cIn: 2, cOut: 7, k: 1 };
    expect(convFlops(odd)).toBe(matmulFlops(3 * 5 * 5, 7, 1 * 1 * 2));
    expect(convLabel(c)).toBe('conv b64 32x32 64->64 3x3');
  });

  it('measures positive, finite GFLOP/s on the cpu backend and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const r = await measureAttainable({
      matmul: 32,
      convs: [{ batch: 2, size: 8, cIn: 4, cOut: 4, k: 3 }],
      reps: 3,
      budgetMs: 1_000,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.threads).toBe(1);
    expect(r.matmul.flops).toBe(matmulFlops(32, 32, 32));
    expect(r.convs.map((c) => c.op)).toEqual(['conv b2 8x8 4->4 3x3']);
    for (const o of [r.matmul, ...r.convs]) {
      expect(o.reps).toBeGreaterThanOrEqual(2);
      expect(o.medianMs).toBeGreaterThan(0);
      expect(Number.isFinite(o.gflops) && o.gflops > 0).toBe(true);
    }
  });
});
