import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { createBatchStatsCollector } from '../model/batchStats';
import { createModel } from '../model/createModel';
import type { Model } from '../model/model';
import { readParams } from '../model/paramUtils';
import { Rng } from '../rng';
import { disposeBatch, disposeLossAndGrads, toDeviceBatch, type DeviceBatch } from './objective';
import { samGradients, samPerturbation } from './sam';
import { Sgd } from './sgd';
import { blobs } from './testFixtures';

/** Gradient of the mean cross-entropy, written here with tfjs's own loss (independent of objective.ts). */
async function gradientAt(model: Model, batch: DeviceBatch): Promise<Float32Array[]> {
  const vars = model.params.map((p) => p.variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(batch.oneHot, model.forward(batch.x, 'train-frozen')) as tf.Scalar,
    vars,
  );
  const out = await Promise.all(vars.map((v) => grads[v.name].data() as Promise<Float32Array>));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function setParams(model: Model, values: ArrayLike<number>[]): void {
  model.params.forEach((p, i) =>
    tf.tidy(() => p.variable.assign(tf.tensor(Float32Array.from(values[i]), p.variable.shape))),
  );
}

describe.each(['wasm', 'cpu'] as const)('SAM on %s', (backend) => {
  const data = blobs('image', 8, 4);
  let model: Model;
  let batch: DeviceBatch;
  beforeAll(() => useBackend(backend));
  afterEach(() => {
    // Both are idempotent; the first test creates neither.
    model?.dispose();
    if (batch) disposeBatch(batch);
  });
  const setup = () => {
    // A BatchNorm model, so the BatchNorm modes of the two passes matter.
    model = createModel({ name: 'preact-resnet10', width: 2, depth: 1 }, data, new Rng(2).derive('init'));
    batch = toDeviceBatch(data.x, Int32Array.from(data.y), data.shape, data.numClasses);
  };

  it('perturbs by exactly rho in one global L2 norm', async () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])];
    const e = samPerturbation(grads, 0.2);
    const flat = (await Promise.all(e.map((t) => t.data()))).flatMap((a) => Array.from(a));
    expect(Math.hypot(...flat)).toBeCloseTo(0.2, 6);
    expect(flat).toEqual([expect.closeTo(0.12, 6), 0, 0, expect.closeTo(0.16, 6)]);
    tf.dispose([...grads, ...e]);
  });

  it('steps from w with the gradient taken at w + e_w, restores w bit-exactly, reports BatchNorm once', async () => {
    setup();
    const rho = 0.5;
    const lr = 0.1;
    const wd = 5e-4;
    const w0 = model.params.map((p) => p.variable.dataSync().slice() as Float32Array);
    // Independent SAM: g at w, e_w in float64, g' at w + e_w.
    const g = await gradientAt(model, batch);
    const norm = Math.sqrt(g.reduce((s, gi) => s + gi.reduce((t, v) => t + v * v, 0), 0));
    setParams(
      model,
      w0.map((w, i) => Array.from(w, (v, j) => v + (rho * g[i][j]) / (norm + 1e-12))),
    );
    const gAdv = await gradientAt(model, batch);
    setParams(model, w0);
    const expected = w0.map((w, i) => Array.from(w, (v, j) => v - lr * (gAdv[i][j] + wd * v)));
    const plainSgd = w0.map((w, i) => Array.from(w, (v, j) => v - lr * (g[i][j] + wd * v)));

    const buffersBefore = await readParams(model);
    const stats = createBatchStatsCollector();
    const out = samGradients(model, batch, rho, stats.sink);
    // One report per BatchNorm layer (the collector throws on a second one).
    expect(stats.collected.size).toBe(model.buffers.length / 2);
    for (const s of stats.collected.values()) tf.dispose([s.mean, s.variance]);
    // Restored bit-exactly, and the buffers were not touched.
    model.params.forEach((p, i) => expect(p.variable.dataSync()).toEqual(w0[i]));
    const after = await readParams(model);
    for (const b of model.buffers) expect(after.get(b.name)).toEqual(buffersBefore.get(b.name));

    const sgd = new Sgd(model.params, 0.9, wd);
    sgd.apply(out.grads, lr);
    disposeLossAndGrads(out);
    sgd.dispose();
    let maxErr = 0;
    let maxFromSgd = 0;
    model.params.forEach((p, i) =>
      p.variable.dataSync().forEach((v, j) => {
        maxErr = Math.max(maxErr, Math.abs(v - expected[i][j]));
        maxFromSgd = Math.max(maxFromSgd, Math.abs(v - plainSgd[i][j]));
      }),
    );
    expect(maxErr).toBeLessThan(2e-6);
    // ...and the check can fail: SAM's step is measurably not SGD's.
    expect(maxFromSgd).toBeGreaterThan(100 * maxErr + 1e-4);
  });
});
