// The experiment as a small PyTorch project (the hand-written Python under pytorch/ in this
// repository, plus the spec and what the script needs to know of the dataset). The Node command
// line writes the files to a folder, the page zips them; both hand in the Python sources, which
// each reads its own way (a file read, a bundled text import).
import { CATALOG } from '../data/catalog';
import type { ExperimentSpec } from '../spec';

/** The project's hand-written files, as they are in pytorch/ of the repository. */
export const PYTORCH_SOURCES = [
  'train.py',
  'models.py',
  'methods.py',
  'data.py',
  'safetensors_io.py',
  'README.md',
] as const;
export type PytorchSources = Record<(typeof PYTORCH_SOURCES)[number], string>;

interface ProjectFile {
  path: string;
  text: string;
}

/** What train.py reads in dataset.json: example shape, classes, the normalisation inside the model, pixel bounds. */
function datasetInfo(spec: ExperimentSpec) {
  const entry = CATALOG[spec.dataset.name];
  const { robustDims, nonRobustDims } = spec.dataset.toy;
  return {
    name: entry.name,
    shape: spec.dataset.name === 'toy' ? [robustDims + nonRobustDims] : entry.shape,
    numClasses: entry.numClasses,
    classNames: entry.classNames,
    mean: entry.mean,
    std: entry.std,
    bounded: entry.bounded,
  };
}

/** Where the data comes from, for the README's first command. */
function dataStep(spec: ExperimentSpec): string {
  switch (spec.dataset.name) {
    case 'cifar10':
      return 'DATA=/path/to/cifar-10-batches-bin   # data_batch_1.bin .. data_batch_5.bin, test_batch.bin (the official binary version)';
    case 'fashion-mnist':
      return 'DATA=/usr/share/datasets/fashion-mnist   # the official idx files (Debian: apt-get install dataset-fashion-mnist)';
    default:
      return "npm run datasets -- --export data --spec spec.json   # in a Duality Lab checkout: this experiment's own train and test sets\nDATA=data";
  }
}

export function pytorchProjectFiles(spec: ExperimentSpec, sources: PytorchSources): ProjectFile[] {
  const runs = spec.runs.map((r) =>
    r.method === 'sgd'
      ? r.id
      : r.method === 'sam'
        ? `${r.id} (SAM rho ${r.rho})`
        : `${r.id} (AT ${r.norm} eps ${r.eps}, PGD-${r.steps})`,
  );
  const header = [
    `# Duality Lab experiment: ${spec.model.name} on ${spec.dataset.name}, ${spec.train.epochs} epochs, seed ${spec.seed}`,
    '',
    `Runs: ${runs.join('; ')}.`,
    '',
    '```sh',
    dataStep(spec),
    'python3 train.py spec.json --data "$DATA" --out out',
    '```',
    '',
  ].join('\n');
  return [
    { path: 'spec.json', text: `${JSON.stringify(spec, null, 1)}\n` },
    { path: 'dataset.json', text: `${JSON.stringify(datasetInfo(spec), null, 1)}\n` },
    ...PYTORCH_SOURCES.map((name) => ({
      path: name,
      text: name === 'README.md' ? `${header}\n${sources[name]}` : sources[name],
    })),
  ];
}
