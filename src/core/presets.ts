// Ready-made experiments for the lab page: each a full spec plus a few sentences saying what it shows.
// The settings follow the paper's (Zhang et al., ICML 2024) at a scale a laptop trains in minutes;
// the numbers to expect at lab scale are in the PyTorch reference (docs: pytorch-lab-scale).
import { DEFAULT_SPEC, type ExperimentSpec, type RunSpec } from './spec';

export interface Preset {
  id: string;
  title: string;
  /** For the page: what the preset trains and what its checks found. */
  description: string;
  /** How the description's claims were checked (`npm run check-preset`), or null: not yet checked, the claims are the paper's. */
  checked: string | null;
  spec: ExperimentSpec;
  /** Too large to train in a tab in reasonable time: offered for the PyTorch export, with a warning. */
  exportOnly?: boolean;
}

const k255 = (k: number) => k / 255;

function withSpec(patch: Partial<Omit<ExperimentSpec, 'runs'>>, runs: RunSpec[]): ExperimentSpec {
  const base = structuredClone(DEFAULT_SPEC);
  return {
    ...base,
    ...patch,
    dataset: { ...base.dataset, ...patch.dataset },
    model: { ...base.model, ...patch.model },
    train: { ...base.train, ...patch.train },
    eval: { ...base.eval, ...patch.eval },
    landscape: { ...base.landscape, ...patch.landscape },
    runs,
  };
}

// AT with PGD L-inf: step eps/4 with 5 steps, or the reference's 1/255 x 3 for small budgets.
const atLinf = (id: string, eps: number, stepSize: number, steps: number): RunSpec => ({
  id,
  method: 'at',
  norm: 'linf',
  eps,
  stepSize,
  steps,
});

type EvalSpec = ExperimentSpec['eval'];

// PGD-10 at the L-inf budgets `epss` (a cheaper check `during` training), then the default APGD.
const linfEval = (epss: number[], at: Pick<EvalSpec, 'subsetSize' | 'every' | 'during'>): EvalSpec => ({
  subsetSize: at.subsetSize,
  pgdSteps: 10,
  pgdSchedule: DEFAULT_SPEC.eval.pgdSchedule,
  every: at.every,
  during: at.during,
  apgd: DEFAULT_SPEC.eval.apgd,
  attacks: epss.map((eps) => ({ norm: 'linf', eps })),
});

// The paper's grid: SGD, SAM at rho 0.05, 0.1 and 0.2, then `at`, AT at L-inf 1, 2 and 8 of 255
// with the PGD steps of the scale.
const paperGrid = (at: RunSpec[]): RunSpec[] => [
  { id: 'sgd', method: 'sgd' },
  ...[0.05, 0.1, 0.2].map((rho): RunSpec => ({ id: `sam-${rho}`, method: 'sam', rho })),
  ...at,
];

export const PRESETS: Preset[] = [
  {
    id: 'duality-two-minutes',
    title: 'Duality in two minutes',
    description:
      'A small CNN learns generated shapes (no download) three ways: plain SGD, SAM (which perturbs the weights) and adversarial training (which perturbs the inputs). ' +
      "Checked on seeds 1-3 (wasm, 250 test images, PGD-10 and APGD): at 8/255 SAM beat SGD on every seed under both attacks (APGD: +2.0, +5.2 and +14.8 points; PGD-10: +1.2, +2.8, +15.6); at 2 and 4/255 it gained on average (APGD mean +5.1 and +5.7) but not on every seed (seed 2: -4.4 at 4/255), and it cost no clean accuracy on average (+1.6, -0.4, +5.2). AT at 2/255 was the most robust at 8/255 on two seeds of three, with clean accuracy at or below SAM's on all three. " +
      'PGD-10 (its step decayed from 2 eps) overstates robustness at 8/255 by 1.2 to 4.8 points against APGD (with a fixed step of eps/4: 4.4 to 9.6), and the attack checks are green on all 9 runs; APGD is still the number to cite. ' +
      "AutoAttack's standard APGD (100 steps, 9 targets) took 1 to 3 points more, and under it SAM still beat SGD at 8/255 on every seed (+2.0, +4.4, +12.4). " +
      'Six epochs do not converge SGD, and runs differ by several points between seeds, and even between backends for one seed (SAM amplifies float rounding): compare runs of one seed on one machine. This CNN has no BatchNorm: SAM needs a small radius (rho 0.02; at 0.1 it does not train) and AT a small budget (at 4/255 it stalled near chance for most of the run on one seed of two).',
    checked:
      'check-preset seeds 2-3 and npm run record seed 1, Node wasm, PGD-10 (cosine step from 2 eps) and APGD on 250 test images (2026-12-02); earlier, with --hessian, PGD-50, 5 restarts and standard APGD on the same models',
    spec: withSpec({}, [
      { id: 'sgd', method: 'sgd' },
      { id: 'sam', method: 'sam', rho: 0.02 },
      atLinf('at', k255(2), k255(0.5), 5),
    ]),
  },
  {
    id: 'cifar10-grid',
    title: "The paper's grid on CIFAR-10",
    description:
      'SGD, SAM with rho 0.05, 0.1 and 0.2, and adversarial training at L-inf 1, 2 and 8 of 255, on a 5,000-image CIFAR-10 subset with a small PreAct ResNet. ' +
      "In the paper, larger rho trades clean accuracy for robustness at larger budgets, as larger eps does for AT. Not yet checked on any seed at this scale: these are the paper's findings, not yet this lab's. Ten epochs are far from converged, so SAM may still cost some clean accuracy here.",
    checked: null,
    spec: withSpec(
      {
        dataset: { ...DEFAULT_SPEC.dataset, name: 'cifar10', trainSize: 5000, testSize: 1000 },
        model: { name: 'preact-resnet10', width: 16, depth: 1 },
        train: { ...DEFAULT_SPEC.train, epochs: 10, batchSize: 128, lr: 0.1, augment: true },
        eval: linfEval([1, 2, 4, 8].map(k255), {
          subsetSize: 1000,
          every: 1,
          during: { subsetSize: 200, pgdSteps: 3 },
        }),
      },
      paperGrid([
        atLinf('at-1', k255(1), k255(0.5), 3),
        atLinf('at-2', k255(2), k255(1), 3),
        atLinf('at-8', k255(8), k255(2), 5),
      ]),
    ),
  },
  {
    id: 'sam-rho-sweep',
    title: 'SAM rho sweep',
    description:
      'The same CNN on generated shapes with SGD (rho 0) and SAM at growing radii. ' +
      'What it shows: on this small BatchNorm-free CNN the radius matters more than the choice of SAM, and too large a radius ruins training. ' +
      'Checked on three seeds: at rho 0.02 SAM was within 6 points of SGD at every budget on two seeds, on either side, and 13 to 21 points more robust (and 5 points more accurate) on the third; ' +
      'rho 0.005 and 0.01 landed on either side of SGD, by up to 19 points; at 0.05 SAM lost 5 to 71 points of clean accuracy, and at 0.1 it ended near chance on two seeds of three. ' +
      'The radius is relative to the model: with BatchNorm (the CIFAR-10 grid) radii of 0.05 to 0.2 train, and there, in the paper, a larger rho trades clean accuracy for robustness the way a larger eps does for adversarial training.',
    checked: 'check-preset, seeds 1-3, Node wasm, PGD-10 and APGD on 500 test images',
    spec: withSpec({}, [
      { id: 'sgd', method: 'sgd' },
      ...[0.005, 0.01, 0.02, 0.05, 0.1].map((rho): RunSpec => ({ id: `sam-${rho}`, method: 'sam', rho })),
    ]),
  },
  {
    id: 'fashion-mnist',
    title: 'Fashion-MNIST: robustness for free',
    description:
      'SGD against SAM with rho 0.1 and adversarial training at eps 0.05, on 5,000 Fashion-MNIST images for 15 epochs. ' +
      'SAM shows its clearest gain at this scale here. Checked on two seeds: SAM was 3-4 points more robust than SGD at eps 0.02 and 6-7 points at 0.05, with clean accuracy within 1.3 points; ' +
      'at 0.1, where every model but AT is below 20 %, it was 4-5 points less robust. AT was the most robust at every eps (+10 to +44 points) and paid 2-4 points of clean accuracy.',
    checked: 'check-preset, two seeds, Node wasm, PGD-10 on 1,000 test images',
    spec: withSpec(
      {
        dataset: { ...DEFAULT_SPEC.dataset, name: 'fashion-mnist', trainSize: 5000, testSize: 1000 },
        model: { name: 'cnn', width: 32, depth: 2 },
        train: { ...DEFAULT_SPEC.train, epochs: 15, batchSize: 128, lr: 0.05 },
        eval: linfEval([0.02, 0.05, 0.1], { subsetSize: 1000, every: 1, during: { subsetSize: 200, pgdSteps: 3 } }),
      },
      [{ id: 'sgd', method: 'sgd' }, { id: 'sam', method: 'sam', rho: 0.1 }, atLinf('at', 0.05, 0.0125, 5)],
    ),
  },
  {
    id: 'paper-setting',
    title: "The paper's setting (export only)",
    description:
      'The setting of Zhang et al. (ICML 2024): PreAct ResNet-18 of width 64 on all of CIFAR-10 for 100 epochs, batch 128, lr 0.1 divided by 10 at 75 % and 90 % of training, weight decay 5e-4, augmentation; SGD, SAM with rho 0.05, 0.1 and 0.2, adversarial training at L-inf 1, 2 and 8 of 255, PGD-10 evaluation. ' +
      'Export it as a PyTorch project and train it on GPUs with torchrun; import its results file here to compare with runs trained in the page, and open its weights for landscapes.',
    exportOnly: true,
    checked: null,
    spec: withSpec(
      {
        dataset: { ...DEFAULT_SPEC.dataset, name: 'cifar10', trainSize: 50_000, testSize: 10_000 },
        model: { name: 'preact-resnet18', width: 64, depth: 1 },
        train: {
          ...DEFAULT_SPEC.train,
          epochs: 100,
          batchSize: 128,
          lr: 0.1,
          momentum: 0.9,
          weightDecay: 5e-4,
          schedule: 'piecewise',
          augment: true,
        },
        eval: linfEval([1, 2, 4, 8].map(k255), {
          subsetSize: 10_000,
          every: 5,
          during: { subsetSize: 1000, pgdSteps: 10 },
        }),
        landscape: { ...DEFAULT_SPEC.landscape, when: 'never' },
      },
      // PGD-10 with step eps/4 in training (Madry et al., 2018).
      paperGrid([
        atLinf('at-1', k255(1), k255(0.25), 10),
        atLinf('at-2', k255(2), k255(0.5), 10),
        atLinf('at-8', k255(8), k255(2), 10),
      ]),
    ),
  },
];

/** What the page says under a preset that does not train in a tab. */
export const EXPORT_ONLY_WARNING =
  'This experiment does not train in a browser tab in reasonable time (days on a laptop GPU): use "Export as PyTorch project" and train it with torchrun on GPUs.';

export const DEFAULT_PRESET_ID = 'duality-two-minutes';
