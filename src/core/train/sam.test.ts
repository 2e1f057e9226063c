import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { examplesAsFloat } from '../data/dataset';
import { createBatchStatsCollector } from '../model/batchStats';
import { createModel } from '../model/createModel';
import type { Model } from '../model/model';
import { readParams } from '../model/paramUtils';
import { Rng } from '../rng';
import { disposeBatch, disposeLossAndGrads, lossAndGrads, toDeviceBatch, type DeviceBatch } from './objective';
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
    batch = toDeviceBatch(examplesAsFloat(data), Int32Array.from(data.y), data.shape, data.numClasses);
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

  it('takes the float64 gradient at w + e_w to float32 accuracy on a model that fits its batch', async () => {
    // Multinomial logistic regression, whose loss and gradient are a few lines of float64 here:
    //   z = x W + b, G = (softmax(z) - onehot(y)) / n, dW = x^T G, db = sum_i G_i,
    // trained until the loss is ~1e-4, where p_y - 1 computed by subtraction loses three digits.
    const vec = blobs('vector', 48, 3);
    model = createModel({ name: 'linear', width: 1, depth: 1 }, vec, new Rng(4).derive('init'));
    batch = toDeviceBatch(examplesAsFloat(vec), Int32Array.from(vec.y), vec.shape, vec.numClasses);
    const sgd = new Sgd(model.params, 0.9, 0);
    let loss = Infinity;
    for (let k = 0; k < 150 && loss > 2e-4; k++) {
      const r = lossAndGrads(model, batch.x, batch, 'train');
      loss = (await r.loss.data())[0];
      sgd.apply(r.grads, 0.5);
      disposeLossAndGrads(r);
    }
    sgd.dispose();
    expect(loss).toBeLessThan(1e-3);
    const [d, c, n] = [vec.shape[0], vec.numClasses, vec.n];
    const byName = new Map(model.params.map((p) => [p.name, p.variable.dataSync()]));
    const w64 = Float64Array.from(byName.get('linear.weight')!);
    const b64 = Float64Array.from(byName.get('linear.bias')!);
    const grad64 = (w: Float64Array, b: Float64Array) => {
      const gw = new Float64Array(d * c);
      const gb = new Float64Array(c);
      for (let i = 0; i < n; i++) {
        const z = Array.from(
          { length: c },
          (_, k) =>
            b[k] +
            examplesAsFloat(vec)
              .subarray(i * d, i * d + d)
              .reduce((s, xj, j) => s + xj * w[j * c + k], 0),
        );
        const m = Math.max(...z);
        const ez = z.map((v) => Math.exp(v - m));
        const sum = ez.reduce((a, v) => a + v, 0);
        for (let k = 0; k < c; k++) {
          const g = (ez[k] / sum - (vec.y[i] === k ? 1 : 0)) / n;
          gb[k] += g;
          for (let j = 0; j < d; j++) gw[j * c + k] += vec.x[i * d + j] * g;
        }
      }
      return [gw, gb];
    };
    const rho = 0.05;
    const g = grad64(w64, b64);
    const norm = Math.hypot(...g.flatMap((t) => [...t])) + 1e-12;
    const expected = grad64(
      w64.map((v, j) => v + (rho * g[0][j]) / norm),
      b64.map((v, k) => v + (rho * g[1][k]) / norm),
    );
    const out = samGradients(model, batch, rho);
    const got = await Promise.all(out.grads.map((t) => t.data()));
    disposeLossAndGrads(out);
    const order = model.params.map((p) => (p.name === 'linear.weight' ? 0 : 1));
    got.forEach((t, i) => {
      const ref = expected[order[i]];
      const err = Math.hypot(...Array.from(t, (v, j) => v - ref[j])) / Math.hypot(...ref);
      // float32 rounding gives ~1e-7 here; through tfjs's logSoftmax gradient it was 6e-5 to 1e-4.
      expect(err, model.params[i].name).toBeLessThan(1e-6);
    });
  });
});
