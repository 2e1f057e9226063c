// The safetensors file format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON header {name: {dtype, shape, data_offsets: [begin, end]},
// "__metadata__": {string: string}}, then the tensors' raw little-endian bytes, back to back, with
// offsets relative to the end of the header. Only F32 is written (every lab tensor is float32).

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsHeader {
  tensors: Record<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length)
      throw new Error(`${t.name}: shape [${t.shape.join(', ')}] holds ${size} values, got ${t.data.length}`);
    if (t.name in header) throw new Error(`duplicate tensor name ${t.name}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * size] };
    offset += 4 * size;
  }
  // The header is padded with spaces to a multiple of 8 so the data that follows is aligned.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    if (LITTLE_ENDIAN) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    at += t.data.byteLength;
  }
  return out;
}

/** Reads and checks the header (for tests and for reading an export back): offsets must tile the data exactly. */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8) throw new Error('not a safetensors file: shorter than 8 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`header length ${n} runs past the end of the file`);
  const raw = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const { __metadata__: metadata = {}, ...rest } = raw;
  const tensors = rest as Record<string, SafetensorsEntry>;
  const spans = Object.values(tensors)
    .map((e) => e.data_offsets)
    .sort((a, b) => a[0] - b[0]);
  let end = 0;
  for (const [begin, stop] of spans) {
    if (begin !== end) throw new Error(`tensor data is not contiguous at byte ${begin} (expected ${end})`);
    end = stop;
  }
  if (8 + n + end !== bytes.length) throw new Error(`the data ends at ${8 + n + end}, the file at ${bytes.length}`);
  return { tensors, metadata: metadata as Record<string, string> };
}

/** One F32 tensor's values out of a safetensors file. */
export function readSafetensorsTensor(bytes: Uint8Array, header: SafetensorsHeader, name: string): Float32Array {
  const entry = header.tensors[name];
  if (!entry) throw new Error(`no tensor ${name}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = 8 + Number(view.getBigUint64(0, true)) + entry.data_offsets[0];
  const out = new Float32Array((entry.data_offsets[1] - entry.data_offsets[0]) / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(start + 4 * i, true);
  return out;
}
