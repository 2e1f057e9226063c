import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossAndGrads } from '../train/objective';
import { evalGrads } from './evalBatch';
import { disposeTrainedOnBatch, trainedOnBatch, type TrainedOnBatch } from './testFixtures';

describe('evalGrads: the fixed batch gradient, a chunk of examples at a time', () => {
  let t: TrainedOnBatch;
  let whole: Float32Array[];
  // A PreAct ResNet: BatchNorm, whose eval mode is what keeps the examples independent.
  beforeAll(async () => {
    t = await trainedOnBatch({ name: 'preact-resnet10', width: 4, depth: 1 }, 'image', 3, 32);
    const r = lossAndGrads(t.model, t.batch.x, t.batch, 'eval');
    whole = await Promise.all(r.grads.map((g) => g.data() as Promise<Float32Array>));
    tf.dispose([r.loss, r.correct, ...r.grads]);
  });
  afterAll(() => disposeTrainedOnBatch(t));

  it.each([1, 5, 16, 32, 100])('chunks of %i give the one-pass gradient and leave no tensor behind', async (chunk) => {
    const before = tf.memory().numTensors;
    const grads = evalGrads(t.model, t.batch, chunk);
    const got = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    expect(got.map((g) => g.length)).toEqual(whole.map((g) => g.length));
    let worst = 0;
    let scale = 0;
    got.forEach((g, i) =>
      g.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(v - whole[i][j]));
        scale = Math.max(scale, Math.abs(whole[i][j]));
      }),
    );
    expect(scale).toBeGreaterThan(0);
    expect(worst / scale).toBeLessThan(1e-5);
  });

  it('refuses a chunk that is not a positive integer', () => {
    for (const chunk of [0, -4, 2.5, NaN]) expect(() => evalGrads(t.model, t.batch, chunk)).toThrow(/chunk/);
  });
});
