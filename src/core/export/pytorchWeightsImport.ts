// A .safetensors weights file with PyTorch names and layouts (the lab's own export, or the exported
// PyTorch project's train.py) read back into a lab model of the same architecture: the inverse of
// pytorchWeights.ts. The file is untrusted: every tensor is checked by name, dtype, shape and byte
// range before any weight changes, so a bad file changes nothing and says what is wrong.
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../model/model';
import { isPlainObject } from '../schema';
import { flattenedInput } from './pytorchWeights';

export type WeightsReadResult = { ok: true; metadata: Record<string, string> } | { ok: false; reason: string };

/** Issues listed before the rest are summed up, so a wrong file gives a short message. */
const MAX_LISTED = 4;
const MAX_HEADER = 16 * 1024 * 1024;

interface Expected {
  name: string;
  /** The tensor's shape in the file (PyTorch layout). */
  shape: number[];
  /** Values in PyTorch layout -> the lab's layout. */
  toLab(values: Float32Array): Float32Array;
}

/** [cOut, cIn, kh, kw] -> [kh, kw, cIn, cOut]. */
function convFromPytorch(pt: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(pt.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((y * kw + x) * cin + i) * cout + o] = pt[((o * cin + i) * kh + y) * kw + x];
  return out;
}

/** [out, in] -> [in, out], moving the input index from NCHW to NHWC flatten order when the layer reads a flattened image. */
function denseFromPytorch(pt: Float32Array, [nIn, nOut]: number[], flattened?: [number, number, number]): Float32Array {
  const out = new Float32Array(pt.length);
  const [h, w, c] = flattened ?? [1, 1, nIn];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const tfRow = (y * w + x) * c + ch;
        const ptCol = (ch * h + y) * w + x;
        for (let o = 0; o < nOut; o++) out[tfRow * nOut + o] = pt[o * nIn + ptCol];
      }
  return out;
}

function expectedTensors(model: Model): Expected[] {
  const flat = flattenedInput(model);
  const same = (v: Float32Array) => v;
  const out: Expected[] = model.params.map((p) => {
    const s = p.variable.shape as number[];
    if (p.kind === 'conv')
      return { name: p.name, shape: [s[3], s[2], s[0], s[1]], toLab: (v) => convFromPytorch(v, s) };
    if (p.kind === 'dense')
      return {
        name: p.name,
        shape: [s[1], s[0]],
        toLab: (v) => denseFromPytorch(v, s, flat?.param === p.name ? flat.hwc : undefined),
      };
    return { name: p.name, shape: [...s], toLab: same };
  });
  for (const b of model.buffers) out.push({ name: b.name, shape: [...b.variable.shape], toLab: same });
  return out;
}

const shapeText = (s: unknown) =>
  Array.isArray(s) ? `[${s.slice(0, 8).join(', ')}]` : JSON.stringify(s)?.slice(0, 40);

/** The header's JSON, or why the file is not a safetensors file. */
function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } | string {
  if (bytes.length < 8) return 'not a safetensors file: shorter than 8 bytes';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8)))
    return `not a safetensors file: its header length ${n} runs past the end of the file`;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(n))));
  } catch {
    return 'not a safetensors file: the header is not JSON';
  }
  if (!isPlainObject(header)) return 'not a safetensors file: the header is not a JSON object';
  return { header, dataStart: 8 + Number(n) };
}

/**
 * Loads the file's tensors into `model` (parameters and BatchNorm running statistics). Nothing is
 * written unless every tensor the model has is present with dtype F32 and its PyTorch shape, and no
 * other tensor is in the file.
 */
export function loadPytorchWeights(model: Model, bytes: Uint8Array): WeightsReadResult {
  const read = readHeader(bytes);
  if (typeof read === 'string') return { ok: false, reason: read };
  const { header, dataStart } = read;
  const { __metadata__: rawMeta, ...entries } = header;
  const issues: string[] = [];
  const expected = expectedTensors(model);
  const known = new Set(expected.map((e) => e.name));
  const unexpected = Object.keys(entries).filter((k) => !known.has(k));
  if (unexpected.length > 0)
    issues.push(
      `tensors this ${model.name} does not have: ${unexpected
        .slice(0, MAX_LISTED)
        .map((k) => JSON.stringify(k.slice(0, 60)))
        .join(', ')}${unexpected.length > MAX_LISTED ? ` and ${unexpected.length - MAX_LISTED} more` : ''}`,
    );
  const values = new Map<string, Float32Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of expected) {
    const entry = entries[e.name];
    if (entry === undefined) {
      issues.push(`${e.name}: missing`);
      continue;
    }
    if (!isPlainObject(entry)) {
      issues.push(`${e.name}: not a tensor entry`);
      continue;
    }
    if (entry.dtype !== 'F32') {
      issues.push(`${e.name}: dtype ${JSON.stringify(entry.dtype)?.slice(0, 20)}, expected F32`);
      continue;
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || shape.length !== e.shape.length || shape.some((d, i) => d !== e.shape[i])) {
      issues.push(`${e.name}: shape ${shapeText(shape)}, this model has [${e.shape.join(', ')}]`);
      continue;
    }
    const offsets = entry.data_offsets;
    const size = 4 * e.shape.reduce((a, b) => a * b, 1);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[1] - offsets[0] !== size ||
      dataStart + offsets[1] > bytes.length
    ) {
      issues.push(`${e.name}: data_offsets ${shapeText(offsets)} do not hold its ${size} bytes within the file`);
      continue;
    }
    const pt = new Float32Array(size / 4);
    for (let i = 0; i < pt.length; i++) pt[i] = view.getFloat32(dataStart + offsets[0] + 4 * i, true);
    values.set(e.name, e.toLab(pt));
  }
  if (issues.length > 0) {
    const listed = issues.slice(0, MAX_LISTED).join('; ');
    return {
      ok: false,
      reason: `these weights do not fit this ${model.name}: ${listed}${issues.length > MAX_LISTED ? ` and ${issues.length - MAX_LISTED} more` : ''}`,
    };
  }
  for (const { name, variable } of [...model.params, ...model.buffers])
    tf.tidy(() => variable.assign(tf.tensor(values.get(name)!, variable.shape, 'float32')));
  const metadata: Record<string, string> = {};
  if (isPlainObject(rawMeta))
    for (const [k, v] of Object.entries(rawMeta))
      if (typeof v === 'string') metadata[k.slice(0, 64)] = v.slice(0, 100_000);
  return { ok: true, metadata };
}
