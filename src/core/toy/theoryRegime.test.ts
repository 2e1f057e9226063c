// The paper's claim, in the toy: inside THEORY_REGIME, SAM puts more weight on the robust features
// than SGD and AT more than SAM; outside it (see theoryRegime.ts) the effect fades as described.
import { describe, expect, it } from 'vitest';
import { MLP_REGIME, THEORY_REGIME } from './theoryRegime';
import { runToyComparison, trainToy, type ToyExperiment, type ToyMethod } from './toyTrain';

const SEEDS = [1, 2, 3];
const last = (exp: ToyExperiment, method: ToyMethod) => trainToy(exp, method).history.at(-1)!;
const shareGain = (exp: ToyExperiment) => last(exp, 'sam').robustShare - last(exp, 'sgd').robustShare;

describe('the theory regime: SAM shifts weight toward robust features, AT further', () => {
  for (const seed of SEEDS) {
    it(`linear model, seed ${seed}`, () => {
      const { runs } = runToyComparison({ ...THEORY_REGIME, seed });
      const [sgd, sam, at] = [runs.sgd, runs.sam, runs.at].map((r) => r.history.at(-1)!);
      expect(sam.robustShare).toBeGreaterThan(sgd.robustShare + 0.02);
      expect(at.robustShare).toBeGreaterThan(sam.robustShare + 0.2);
      // ...and robustness follows: SAM's robust accuracy beats SGD's, AT's is the highest.
      expect(sam.robustAcc).toBeGreaterThan(sgd.robustAcc);
      expect(at.robustAcc).toBeGreaterThanOrEqual(sam.robustAcc);
      // AT pays the most clean accuracy.
      expect(at.cleanAcc).toBeLessThan(sam.cleanAcc);
      // Every method learned something.
      for (const h of [sgd, sam, at]) expect(h.cleanAcc).toBeGreaterThan(0.8);
    });
  }

  it('the MLP shows the same ordering at its own (much smaller) rho', () => {
    for (const seed of SEEDS) {
      const exp = { ...MLP_REGIME, seed };
      const [sgd, sam, at] = (['sgd', 'sam', 'at'] as const).map((m) => last(exp, m));
      expect(sam.robustShare).toBeGreaterThan(sgd.robustShare);
      expect(at.robustShare).toBeGreaterThan(sam.robustShare);
      expect(sam.cleanAcc).toBeGreaterThan(0.9);
    }
  });

  it('is seeded: the same experiment gives the same numbers', () => {
    const a = trainToy(THEORY_REGIME, 'sam');
    const b = trainToy(THEORY_REGIME, 'sam');
    expect(b.history).toEqual(a.history);
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
  });
});

describe('leaving the regime makes the effect fade', () => {
  it('rho = 0: SAM is exactly SGD', () => {
    const exp = { ...THEORY_REGIME, rho: 0 };
    expect(trainToy(exp, 'sam').history).toEqual(trainToy(exp, 'sgd').history);
  });

  it('rho small (1): SAM moves the robust share by under 0.01; rho 10 moves it by over 0.03', () => {
    for (const seed of SEEDS) {
      expect(Math.abs(shareGain({ ...THEORY_REGIME, seed, rho: 1 }))).toBeLessThan(0.01);
      expect(shareGain({ ...THEORY_REGIME, seed })).toBeGreaterThan(0.03);
    }
  });

  it('eps small (0.02): AT barely moves away from SGD (share within 0.01), while eps 0.1 moves it by over 0.3', () => {
    for (const seed of SEEDS) {
      const small = { ...THEORY_REGIME, seed, eps: 0.02 };
      expect(Math.abs(last(small, 'at').robustShare - last(small, 'sgd').robustShare)).toBeLessThan(0.01);
      const inside = { ...THEORY_REGIME, seed };
      expect(last(inside, 'at').robustShare - last(inside, 'sgd').robustShare).toBeGreaterThan(0.3);
    }
  });

  it('robustShift = 0: no robust signal, so SGD and SAM both put under 2% of their weight there and differ by under 0.01', () => {
    for (const seed of SEEDS) {
      const exp = { ...THEORY_REGIME, seed, data: { ...THEORY_REGIME.data, robustShift: 0 } };
      const [sgd, sam] = [last(exp, 'sgd'), last(exp, 'sam')];
      expect(sgd.robustShare).toBeLessThan(0.02);
      expect(sam.robustShare).toBeLessThan(0.02);
      expect(Math.abs(sam.robustShare - sgd.robustShare)).toBeLessThan(0.01);
    }
  });

  it('full batch: without mini-batch noise SAM does not beat SGD (its share is lower)', () => {
    for (const seed of SEEDS) expect(shareGain({ ...THEORY_REGIME, seed, batchSize: 0 })).toBeLessThan(0);
  });
});
