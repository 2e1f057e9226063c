// Classroom mode's guided lesson: seven short steps, each an experiment built from the lab's default
// preset ("Duality in two minutes") and cut down so that every step trains in a couple of minutes on
// wasm. The story follows the paper (Zhang et al., ICML 2024): SGD is brittle under small attacks,
// AT buys robustness with clean accuracy, SAM gets some robustness without ever seeing an attack,
// and both flatten a landscape — SAM the one in weight space, AT the one in input space; the last
// step shows the duality itself on the trained CNN (the panel of ui/landscape/DualityPanel.tsx).
//
// The lesson's dataset is chosen by what was checked, not by what happens to be prepared: the
// generated shapes (no download, claims checked on three seeds) are the default, and another
// variant is offered only once `check-preset -- lesson:<step>:<dataset>` on two seeds backs a claim
// stated in LESSON_DATASETS.
import { DEFAULT_PRESET_ID, PRESETS } from './presets';
import type { DatasetName, ExperimentSpec, RunSpec } from './spec';

export interface LessonStep {
  id: string;
  title: string;
  /** For the page: what this step shows. */
  text: string;
  spec: ExperimentSpec;
}

export type LessonDataset = 'shapes' | 'cifar10';

/**
 * What was checked on each variant of the lesson (`npm run check-preset -- lesson:<step>[:cifar10]`
 * on two seeds or more), shown with it; a variant without a checked claim is not offered.
 */
export const LESSON_DATASETS: Record<LessonDataset, { label: string; checked?: string }> = {
  shapes: { label: 'generated shapes (no download)', checked: "The steps' claims were checked on seeds 1-3 (wasm)." },
  cifar10: { label: 'a 2,000-image CIFAR-10 subset' },
};

/** The variants the classroom offers: those with a checked claim. */
export function offeredLessonDatasets(): LessonDataset[] {
  return (Object.keys(LESSON_DATASETS) as LessonDataset[]).filter((d) => LESSON_DATASETS[d].checked !== undefined);
}

const k255 = (k: number) => k / 255;
// AT with PGD L-inf, 5 steps of eps/4, as in the default preset.
const at = (id: string, k: number): RunSpec => ({
  id,
  method: 'at',
  norm: 'linf',
  eps: k255(k),
  stepSize: k255(k) / 4,
  steps: 5,
});
const SGD: RunSpec = { id: 'sgd', method: 'sgd' };
const sam = (id: string, rho: number): RunSpec => ({ id, method: 'sam', rho });
// The lesson's CNN has no BatchNorm: measured on shapes, rho 0.02 trains like SGD, 0.05 slows it and 0.1 stalls it at chance.
const SAM = sam('sam', 0.02);

/**
 * The lesson's base is the default preset itself ("Duality in two minutes": 6 epochs of 2,000
 * images, PGD-10 on 250 test images), whose SGD / SAM / AT comparison was checked on three seeds
 * (`npm run check-preset -- duality-two-minutes`): a shorter cut (3 epochs) left SGD and SAM so far
 * from converged that SAM came out below SGD on seed 1. On wasm, after the conv and BatchNorm
 * gradient work, a run takes about 1 (SGD), 1.5 (SAM) and 2-3 (AT) minutes of one core.
 * On CIFAR-10 the same runs are not checked across seeds (LESSON_DATASETS).
 */
function lessonBase(dataset: DatasetName): ExperimentSpec {
  const base = structuredClone(PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.spec);
  base.dataset = { ...base.dataset, name: dataset };
  base.landscape = { ...base.landscape, when: 'never' };
  return base;
}

function step(
  base: ExperimentSpec,
  id: string,
  title: string,
  text: string,
  runs: RunSpec[],
  edit: (s: ExperimentSpec) => void = () => {},
): LessonStep {
  const spec = structuredClone(base);
  spec.runs = structuredClone(runs);
  edit(spec);
  return { id, title, text, spec };
}

/** The seven steps, on generated shapes unless another variant is asked for. */
export function lessonSteps(dataset: LessonDataset = 'shapes'): LessonStep[] {
  const base = lessonBase(dataset);
  return [
    step(
      base,
      'baseline',
      'A plain SGD baseline',
      'A small CNN learns the images with plain SGD. Watch the clean accuracy climb: this is the model every other step is compared with.',
      [SGD],
      (s) => {
        s.eval.attacks = [];
      },
    ),
    step(
      base,
      'sgd-attacked',
      'SGD under attack',
      'The same SGD model, now also tested on images perturbed by PGD within an L∞ budget of 2, 4 and 8 of 255. Changes too small to see drive its robust accuracy far below its clean accuracy.',
      [SGD],
    ),
    step(
      base,
      'adversarial-training',
      'Adversarial training and its price',
      'Adversarial training (AT) trains on attacked images (L∞ 2/255). On the three seeds we checked it was more robust than SGD at the largest budget (8/255) every time, and its clean accuracy stayed below that of SAM (next step).',
      [SGD, at('at', 2)],
    ),
    step(
      base,
      'sam',
      "SAM's free robustness",
      'SAM never sees an attacked image: it perturbs the weights, not the inputs. Yet it is usually more robust than SGD at small budgets, at little or no clean cost.',
      [SGD, SAM],
    ),
    step(
      base,
      'landscapes',
      'Flat in weights, flat in inputs',
      'All three again; when training ends the page slices each model’s loss around its weights and around its inputs. SAM flattens the weight-space landscape, AT the input-space one, and each flattens the other’s a little.',
      [SGD, SAM, at('at', 2)],
      (s) => {
        s.landscape = { ...s.landscape, when: 'end' };
      },
    ),
    step(
      base,
      'tradeoff',
      'The trade-off picture',
      'Two SAM radii and two AT budgets on one clean-versus-robust chart, where the paper finds that a larger ρ, like a larger ε, trades clean accuracy for robustness. On this small set the picture is noisy: on two seeds checked, ρ 0.02 beat ρ 0.01 at 8/255 on both and ε 2/255 beat 1/255 on one.',
      [SGD, sam('sam-0.01', 0.01), SAM, at('at-1', 1), at('at-2', 2)],
    ),
    step(
      base,
      'duality',
      "What SAM's weight perturbation does to the input",
      'All three again: at every evaluation the page turns the first-layer part E of SAM’s weight perturbation into the input shift d with (W + E)x = W(x + d), and sets d beside the adversarial δ of the same image (the panel of this name, under the charts).',
      [SGD, SAM, at('at', 2)],
    ),
  ];
}
