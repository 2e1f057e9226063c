// Handing the loaded dataset to the other runs' workers (?workers=N), so it is decoded once. Where
// the page is cross-origin isolated the loading worker moves the split into SharedArrayBuffers and
// every run reads that one copy (nothing writes to a dataset). Elsewhere it makes one copy per other
// run, transferred through the page, as bytes when every value is a byte / 255 (the image datasets
// already are), as float32 otherwise (the generated ones, whose values are not bytes).
import type { Dataset, DatasetSplit } from '../core/data/dataset';

/** The split with its examples and labels moved into SharedArrayBuffers, to be read by every run. */
export function shareSplit(d: DatasetSplit): DatasetSplit {
  const share = (s: Dataset): Dataset => {
    const x =
      s.x instanceof Uint8Array
        ? new Uint8Array(new SharedArrayBuffer(s.x.byteLength))
        : new Float32Array(new SharedArrayBuffer(s.x.byteLength));
    const y = new Uint8Array(new SharedArrayBuffer(s.y.byteLength));
    x.set(s.x);
    y.set(s.y);
    return { ...s, x, y };
  };
  return { ...d, train: share(d.train), test: share(d.test) };
}

/** The bytes b with fround(b / 255) === x bit for bit, as the image parsers compute it; undefined when a value is not one. */
function asBytes(x: Float32Array): Uint8Array | undefined {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const b = Math.round(x[i] * 255);
    if (!(b >= 0 && b <= 255)) return undefined;
    out[i] = b;
    // Read back as stored: a -0 becomes byte 0, which gives +0, not the same bits.
    if (!Object.is(Math.fround(out[i] / 255), x[i])) return undefined;
  }
  return out;
}

/** A copy of the split to transfer: bytes where they give back the same float32 values, float32 otherwise. */
export function packSplit(d: DatasetSplit): DatasetSplit {
  const pack = (s: Dataset): Dataset => ({
    ...s,
    x: s.x instanceof Uint8Array ? s.x.slice() : (asBytes(s.x) ?? s.x.slice()),
    y: s.y.slice(),
  });
  return { ...d, train: pack(d.train), test: pack(d.test) };
}

/** The transferable buffers of a split's examples and labels, each once; shared ones are not transferred. */
export function splitBuffers(d: DatasetSplit): ArrayBuffer[] {
  const all = [d.train.x.buffer, d.train.y.buffer, d.test.x.buffer, d.test.y.buffer];
  return all.filter((b, i): b is ArrayBuffer => b instanceof ArrayBuffer && all.indexOf(b) === i);
}
