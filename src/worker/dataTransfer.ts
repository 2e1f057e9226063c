// Handing a dataset between workers through the page without the page's main thread copying it:
// the worker that loaded it makes a copy and transfers the copy's buffers; the page transfers them on.
import type { DatasetSplit } from '../core/data/dataset';

export function copySplit(d: DatasetSplit): DatasetSplit {
  return {
    ...d,
    train: { ...d.train, x: d.train.x.slice(), y: d.train.y.slice() },
    test: { ...d.test, x: d.test.x.slice(), y: d.test.y.slice() },
  };
}

/** The buffers of a split's examples and labels, each once, to transfer with it. */
export function splitBuffers(d: DatasetSplit): ArrayBuffer[] {
  const all = [d.train.x.buffer, d.train.y.buffer, d.test.x.buffer, d.test.y.buffer];
  return all.filter((b, i): b is ArrayBuffer => b instanceof ArrayBuffer && all.indexOf(b) === i);
}
