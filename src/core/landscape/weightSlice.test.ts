import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../scripts/lib/nodeBackend';
import { createModel } from '../model/createModel';
import type { Model } from '../model/model';
import { Rng } from '../rng';
import { blobs } from '../train/testFixtures';
import { LandscapeCancelled } from './cancel';
import { disposeDirections, filterNorms, isFiltered, landscapeDirections, type WeightDirection } from './directions';
import { batchScores } from './evalBatch';
import { disposeTrainedOnBatch, stateBytes, trainedOnBatch, type TrainedOnBatch } from './testFixtures';
import { weightSlice1d, weightSlice2d } from './weightSlice';

const read = async (t: tf.Tensor) => (await t.data()) as Float32Array;

async function perFilterNorms(t: tf.Tensor): Promise<Float32Array> {
  const n = filterNorms(t);
  return read(n).finally(() => n.dispose());
}

describe('filter-normalised directions', () => {
  const data = blobs('image', 8, 1);
  let a: Model;
  let b: Model;
  beforeAll(async () => {
    await useBackend('cpu');
    // Two runs of one experiment: same architecture, different weights (as after training).
    a = createModel({ name: 'preact-resnet10', width: 2, depth: 1 }, data, new Rng(1).derive('init'));
    b = createModel({ name: 'preact-resnet10', width: 2, depth: 1 }, data, new Rng(2).derive('init'));
  });
  afterAll(() => {
    a.dispose();
    b.dispose();
  });

  it("give every filter its weight filter's norm, and zero to biases and BatchNorm", async () => {
    const [d] = landscapeDirections(a, 5, 1);
    expect(
      a.params.some((p) => p.kind === 'conv') &&
        a.params.some((p) => p.kind === 'dense') &&
        a.params.some((p) => p.kind === 'bn-gamma'),
    ).toBe(true);
    for (const [i, p] of a.params.entries()) {
      if (isFiltered(p)) {
        const dn = await perFilterNorms(d[i]);
        const wn = await perFilterNorms(p.variable);
        // One norm per output channel / unit.
        expect(dn.length).toBe(p.variable.shape[p.variable.shape.length - 1]);
        dn.forEach((v, k) => expect(v).toBeCloseTo(wn[k], 5));
      } else {
        expect(Math.max(...(await read(d[i])).map(Math.abs))).toBe(0);
      }
    }
    disposeDirections([d]);
  });

  it('are the same for the same seed, differ for another, and share their raw draw across runs', async () => {
    const [d1, d2] = landscapeDirections(a, 5, 2);
    const [again] = landscapeDirections(a, 5, 1);
    const [other] = landscapeDirections(a, 6, 1);
    const [runB] = landscapeDirections(b, 5, 1);
    const conv = a.params.findIndex(isFiltered);
    expect(await read(again[conv])).toEqual(await read(d1[conv]));
    expect(await read(other[conv])).not.toEqual(await read(d1[conv]));
    expect(await read(d2[conv])).not.toEqual(await read(d1[conv]));
    // d / ||w filter|| is the unit-filter draw, the same for both runs of the experiment.
    const unit = async (m: Model, d: WeightDirection) =>
      read(tf.tidy(() => tf.div(d[conv], filterNorms(m.params[conv].variable))));
    const ua = await unit(a, d1);
    const ub = await unit(b, runB);
    ua.forEach((v, k) => expect(ub[k]).toBeCloseTo(v, 5));
    disposeDirections([d1, d2, again, other, runB]);
  });
});

describe('weight-space slices', () => {
  let t: TrainedOnBatch;
  let d1: WeightDirection;
  let d2: WeightDirection;
  let centre: Float32Array;
  beforeAll(async () => {
    // BatchNorm model with running statistics moved off their initial values by training.
    t = await trainedOnBatch({ name: 'preact-resnet10', width: 2, depth: 1 }, 'image', 24, 32);
    [d1, d2] = landscapeDirections(t.model, t.spec.seed, 2);
    const s = batchScores(t.model, t.batch);
    centre = await read(s);
    s.dispose();
  });
  afterAll(() => {
    disposeDirections([d1, d2]);
    disposeTrainedOnBatch(t);
  });

  it('1-D: centre equals the current loss, one forward per point, weights and BN buffers bit-identical after', async () => {
    const before = await stateBytes(t.model);
    const partials: number[] = [];
    const r = await weightSlice1d(t.model, t.batch, d1, 7, { onPartial: (p) => partials.push(p.loss.length) });
    expect(r.alphas).toHaveLength(7);
    expect(r.alphas[3]).toBe(0);
    expect(r.loss[3]).toBe(centre[0]);
    expect(r.acc[3]).toBe(centre[1]);
    expect(r.evals).toBe(7);
    expect(r.estimate).toEqual({ evals: 7, gradEvals: 0 });
    expect(partials).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.ms).toBeGreaterThan(0);
    // A trained model sits lower than a unit filter-normalised step away on either side.
    expect(r.loss[0]).toBeGreaterThan(r.loss[3]);
    expect(r.loss[6]).toBeGreaterThan(r.loss[3]);
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it('2-D: centre equals the current loss, the beta = 0 column is the 1-D slice, rows stream, state bit-identical', async () => {
    const before = await stateBytes(t.model);
    const rows: number[] = [];
    const r = await weightSlice2d(t.model, t.batch, d1, d2, 5, { onPartial: (p) => rows.push(p.loss.length) });
    const line = await weightSlice1d(t.model, t.batch, d1, 5);
    expect(rows).toEqual([1, 2, 3, 4, 5]);
    expect(r.loss).toHaveLength(5);
    expect(r.loss[2][2]).toBe(centre[0]);
    expect(r.acc[2][2]).toBe(centre[1]);
    expect(r.loss.map((row) => row[2])).toEqual(line.loss);
    expect(r.evals).toBe(25);
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it('cancels between points, restoring the weights', async () => {
    const before = await stateBytes(t.model);
    const signal = { aborted: false };
    let seen = 0;
    const run = weightSlice1d(t.model, t.batch, d1, 9, {
      signal,
      onPartial: () => {
        if (++seen === 2) signal.aborted = true;
      },
    });
    await expect(run).rejects.toBeInstanceOf(LandscapeCancelled);
    expect(seen).toBe(2);
    expect(await stateBytes(t.model)).toEqual(before);
  });

  it('leaks no tensors across repeated slices, and refuses bad point counts', async () => {
    await weightSlice1d(t.model, t.batch, d1, 3);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await weightSlice1d(t.model, t.batch, d1, 3);
      await weightSlice2d(t.model, t.batch, d1, d2, 3);
    }
    expect(tf.memory().numTensors).toBe(n);
    await expect(weightSlice1d(t.model, t.batch, d1, 1)).rejects.toThrow(/2 to 51 points/);
    expect(tf.memory().numTensors).toBe(n);
  });
});
