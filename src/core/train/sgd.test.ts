import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import type { Param } from '../model/model';
import { Sgd } from './sgd';

describe('Sgd (PyTorch semantics)', () => {
  beforeAll(() => useBackend('cpu'));

  it('follows d = g + wd w, buf = mu buf + d, w -= lr buf over several steps', async () => {
    const w0 = [0.5, -1, 2];
    const params: Param[] = [{ name: 'w', kind: 'dense', variable: tf.variable(tf.tensor1d(w0)) }];
    const sgd = new Sgd(params, 0.9, 0.1);
    const gradsSeq = [
      [1, 0, -2],
      [0.5, 0.5, 0.5],
      [-1, 2, 0],
    ];
    const lrs = [0.5, 0.25, 0.1];
    const w = [...w0];
    const buf = [0, 0, 0];
    for (let s = 0; s < 3; s++) {
      const g = tf.tensor1d(gradsSeq[s]);
      sgd.apply([g], lrs[s]);
      g.dispose();
      for (let i = 0; i < 3; i++) {
        const d = gradsSeq[s][i] + 0.1 * w[i];
        buf[i] = 0.9 * buf[i] + d;
        w[i] -= lrs[s] * buf[i];
      }
      const got = await params[0].variable.data();
      got.forEach((v, i) => expect(v).toBeCloseTo(w[i], 5));
    }
    sgd.dispose();
    params[0].variable.dispose();
  });

  it('refuses a gradient list that does not match the parameters', () => {
    const params: Param[] = [{ name: 'w', kind: 'dense', variable: tf.variable(tf.zeros([2])) }];
    const sgd = new Sgd(params, 0.9, 0);
    expect(() => sgd.apply([], 0.1)).toThrow(/0 gradients for 1/);
    sgd.dispose();
    params[0].variable.dispose();
  });
});
