// An experiment's train and test sets written out for another program (the exported PyTorch
// project reads them): exactly the examples the lab trains and evaluates on, in its order. idx
// files (the MNIST container: big-endian int32 magic 0x00 0x00 type ndim, the dims, then the
// values): examples as float32 (type 0x0D, so generated sets keep every bit) in the lab's layout
// ([n, h, w, c] images or [n, d] features), labels as bytes (type 0x08), and a split.json saying
// what they are.
import { examplesAsFloat, type Dataset, type DatasetSplit } from '../data/dataset';
import type { ExperimentSpec } from '../spec';

const IDX_UBYTE = 0x08;
const IDX_FLOAT32 = 0x0d;

function idxHeader(out: DataView, type: number, dims: number[]): number {
  out.setUint8(2, type);
  out.setUint8(3, dims.length);
  dims.forEach((d, i) => out.setUint32(4 + 4 * i, d, false));
  return 4 + 4 * dims.length;
}

/** A float32 idx file of `values` with dimensions `dims`. */
function encodeFloatIdx(values: Float32Array, dims: number[]): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== values.length)
    throw new Error(`idx dims [${dims.join(', ')}] hold ${count} values, got ${values.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + 4 * count);
  const view = new DataView(out.buffer);
  const at = idxHeader(view, IDX_FLOAT32, dims);
  for (let i = 0; i < count; i++) view.setFloat32(at + 4 * i, values[i], false);
  return out;
}

/** A one-dimensional byte idx file (labels). */
function encodeByteIdx(values: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + values.length);
  out.set(values, idxHeader(new DataView(out.buffer), IDX_UBYTE, [values.length]));
  return out;
}

interface OutFile {
  path: string;
  bytes: Uint8Array;
}

const setFiles = (part: 'train' | 'test', d: Dataset): OutFile[] => [
  { path: `${part}-x.idx`, bytes: encodeFloatIdx(examplesAsFloat(d), [d.n, ...d.shape]) },
  { path: `${part}-y.idx`, bytes: encodeByteIdx(d.y) },
];

/** The files of the spec's split: split.json, train-x.idx, train-y.idx, test-x.idx, test-y.idx. */
export function splitFiles(spec: ExperimentSpec, split: DatasetSplit): OutFile[] {
  const info = {
    dataset: spec.dataset.name,
    seed: spec.seed,
    shape: split.train.shape,
    numClasses: split.train.numClasses,
    train: split.train.n,
    test: split.test.n,
    note: split.note ?? '',
  };
  return [
    { path: 'split.json', bytes: new TextEncoder().encode(`${JSON.stringify(info, null, 1)}\n`) },
    ...setFiles('train', split.train),
    ...setFiles('test', split.test),
  ];
}
