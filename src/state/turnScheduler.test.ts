import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { nextTurns, turnLength, type TurnCandidate } from './turnScheduler';

const c = (id: string, progress: number, order: number): TurnCandidate => ({ id, progress, order });

function specWith(trainSize: number, batchSize: number, every: number, epochs = 6): ExperimentSpec {
  const spec = structuredClone(DEFAULT_SPEC);
  spec.dataset.trainSize = trainSize;
  spec.train.batchSize = batchSize;
  spec.train.epochs = epochs;
  spec.eval.every = every;
  return spec;
}

describe('nextTurns', () => {
  it('gives the free places to the least advanced waiting runs, least first', () => {
    const waiting = [c('a', 0.5, 0), c('b', 0.1, 1), c('c', 0.3, 2), c('d', 0.9, 3)];
    expect(nextTurns(waiting, 0, 1)).toEqual(['b']);
    expect(nextTurns(waiting, 0, 2)).toEqual(['b', 'c']);
    expect(nextTurns(waiting, 1, 3)).toEqual(['b', 'c']);
    expect(nextTurns(waiting, 0, 4)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('breaks ties by the order in the spec, not by the order of the list', () => {
    const waiting = [c('late', 0.2, 5), c('early', 0.2, 1), c('mid', 0.2, 3)];
    expect(nextTurns(waiting, 0, 3)).toEqual(['early', 'mid', 'late']);
    expect(nextTurns(waiting, 0, 1)).toEqual(['early']);
    // Less progress still beats an earlier position.
    expect(nextTurns([...waiting, c('behind', 0.1, 9)], 0, 1)).toEqual(['behind']);
  });

  it('never grants more turns than free places, and none when the places are full', () => {
    const waiting = [c('a', 0, 0), c('b', 0, 1), c('c', 0, 2)];
    for (let places = 0; places <= 5; places++)
      for (let stepping = 0; stepping <= 6; stepping++) {
        const got = nextTurns(waiting, stepping, places);
        expect(got.length).toBe(Math.min(waiting.length, Math.max(0, places - stepping)));
        expect(new Set(got).size).toBe(got.length);
      }
    expect(nextTurns(waiting, 2, 2)).toEqual([]);
    // More stepping than places (places lowered while runs step): still none, never a negative slice.
    expect(nextTurns(waiting, 4, 2)).toEqual([]);
    expect(nextTurns([], 0, 3)).toEqual([]);
  });

  it('gives one turn per group (a worker) at a time, and none to a group already stepping', () => {
    const g = (id: string, progress: number, order: number, group: string): TurnCandidate => ({
      ...c(id, progress, order),
      group,
    });
    // Three runs in worker w, one in v: the least advanced of w, then v's, whatever the places.
    const waiting = [g('a', 0.1, 0, 'w'), g('b', 0.2, 1, 'w'), g('c', 0.3, 2, 'v'), g('d', 0.05, 3, 'w')];
    expect(nextTurns(waiting, 0, 3)).toEqual(['d', 'c']);
    expect(nextTurns(waiting, 0, 1)).toEqual(['d']);
    // w steps already (a run of it holds a turn): only v's run may start.
    expect(nextTurns(waiting, 1, 3, new Set(['w']))).toEqual(['c']);
    expect(nextTurns(waiting, 2, 3, new Set(['w', 'v']))).toEqual([]);
    // Runs without a group are each their own: the places alone limit them.
    expect(nextTurns([c('x', 0, 0), c('y', 0, 1), g('z', 0, 2, 'w')], 0, 3, new Set(['w']))).toEqual(['x', 'y']);
  });

  it("does not reorder the caller's list", () => {
    const waiting = [c('a', 0.5, 0), c('b', 0.1, 1)];
    const copy = structuredClone(waiting);
    nextTurns(waiting, 0, 2);
    expect(waiting).toEqual(copy);
  });
});

describe('turnLength', () => {
  it('is a quarter of the evaluation interval in steps', () => {
    // 2000 / 64 = 31 whole batches per epoch; every epoch: 31 / 4 = 7.75 -> 8.
    expect(turnLength(specWith(2000, 64, 1))).toBe(8);
    // 96 / 16 = 6 per epoch; every 2 epochs: 12 / 4 = 3.
    expect(turnLength(specWith(96, 16, 2))).toBe(3);
    // 1000 / 10 = 100 per epoch; every 0.5 epoch: 50 / 4 = 12.5 -> 13 (rounded).
    expect(turnLength(specWith(1000, 10, 0.5))).toBe(13);
  });

  it('counts only whole batches per epoch', () => {
    // 99 / 10 -> 9 batches (the trainer drops the partial one), 9 * 4 / 4 = 9.
    expect(turnLength(specWith(99, 10, 4))).toBe(9);
  });

  it('is at least one step, even for a tiny interval or a batch larger than the training set', () => {
    expect(turnLength(specWith(96, 16, 0.01))).toBe(1);
    expect(turnLength(specWith(10, 1024, 0.1))).toBe(1);
    for (const every of [0.001, 0.1, 0.3, 1, 7, 500])
      for (const [n, bs] of [
        [10, 1],
        [10, 1024],
        [2000, 64],
        [100_000, 1],
      ]) {
        const l = turnLength(specWith(n, bs, every));
        expect(Number.isInteger(l)).toBe(true);
        expect(l).toBeGreaterThanOrEqual(1);
        // Never more than half an evaluation interval (rounding included) unless the 1-step floor applies.
        const interval = Math.max(1, Math.floor(n / bs)) * every;
        if (l > 1) expect(l).toBeLessThanOrEqual(interval / 2);
      }
  });
});

/**
 * Runs share `places` places; each granted turn steps turnLength steps (fewer at the end), each
 * step of run i costing costs[i] time units. Returns the largest spread of the runs' epochs seen
 * after any single step, and the order the turns were granted in.
 */
function simulate(spec: ExperimentSpec, costs: number[]) {
  const stepsPerEpoch = Math.max(1, Math.floor(spec.dataset.trainSize / spec.train.batchSize));
  const total = Math.max(1, Math.floor(stepsPerEpoch * spec.train.epochs));
  const length = turnLength(spec);
  const done = costs.map(() => 0);
  let clock = 0;
  let spread = 0;
  let turns = 0;
  const ids = costs.map((_, i) => `r${i}`);
  for (;;) {
    const waiting = ids.map((id, i) => c(id, done[i] / total, i)).filter((_, i) => done[i] < total);
    if (waiting.length === 0) break;
    const granted = nextTurns(waiting, 0, 1);
    expect(granted).toHaveLength(1);
    const i = ids.indexOf(granted[0]);
    turns++;
    for (let s = 0; s < length && done[i] < total; s++) {
      done[i]++;
      clock += costs[i];
      const epochs = done.map((d) => d / stepsPerEpoch);
      spread = Math.max(spread, Math.max(...epochs) - Math.min(...epochs));
    }
  }
  expect(done).toEqual(costs.map(() => total));
  return { spread, stepsPerEpoch, length, turns, clock };
}

describe('turns of one shared place', () => {
  it.each([
    { trainSize: 2000, batchSize: 64, every: 1, epochs: 6, costs: [1, 3, 11] },
    { trainSize: 96, batchSize: 16, every: 0.5, epochs: 3, costs: [11, 1, 3] },
    { trainSize: 1000, batchSize: 10, every: 0.25, epochs: 2, costs: [2, 2, 40] },
    { trainSize: 500, batchSize: 7, every: 2, epochs: 5.5, costs: [100, 1, 10] },
    { trainSize: 50, batchSize: 50, every: 1, epochs: 4, costs: [1, 5, 25] },
  ])(
    'keeps 3 runs of unequal step cost within one evaluation interval: $trainSize/$batchSize, every $every',
    ({ trainSize, batchSize, every, epochs, costs }) => {
      const spec = specWith(trainSize, batchSize, every, epochs);
      const { spread, stepsPerEpoch, length } = simulate(spec, costs);
      // The promise the charts rely on: at every moment within one evaluation interval ...
      expect(spread).toBeLessThanOrEqual(every);
      // ... and in fact within one turn (the least advanced run always goes next).
      expect(spread).toBeLessThanOrEqual(length / stepsPerEpoch + 1e-12);
      // Not trivially: the runs were apart at some moment.
      expect(spread).toBeGreaterThan(0);
    },
  );

  it('a slow run is not starved: every run gets a turn before any gets a third', () => {
    const spec = specWith(2000, 64, 1, 6);
    const length = turnLength(spec);
    const total = Math.floor(2000 / 64) * 6;
    const done = [0, 0, 0];
    const turnsOf = [0, 0, 0];
    for (let t = 0; t < 9; t++) {
      const [id] = nextTurns(
        done.map((d, i) => c(`r${i}`, d / total, i)),
        0,
        1,
      );
      const i = Number(id.slice(1));
      turnsOf[i]++;
      done[i] = Math.min(total, done[i] + length);
      expect(Math.max(...turnsOf) - Math.min(...turnsOf)).toBeLessThanOrEqual(1);
    }
    expect(turnsOf).toEqual([3, 3, 3]);
  });
});
