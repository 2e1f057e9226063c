// A model's trained state as PyTorch would hold it, for the weights export: the parameter and
// BatchNorm buffer names are already PyTorch's ("layer1.0.conv1.weight", "bn1.running_mean"); the
// layouts are tfjs's and are transposed here:
//   conv  [kh, kw, cIn, cOut] -> [cOut, cIn, kh, kw]
//   dense [in, out]           -> [out, in]
// A dense layer right after a flatten of an image (cnn fc1, mlp's first layer, linear) also gets its
// input rows reordered: tfjs flattens NHWC (index (h W + w) C + c), PyTorch flattens NCHW
// (index c H W + h W + w), so the file loads into the equivalent PyTorch module and gives the same logits.
import type { Model } from '../model/model';
import { outSize } from '../model/modelBuilder';
import { readParams } from '../model/paramUtils';
import { encodeSafetensors, type NamedTensor } from './safetensors';

/** [kh, kw, cIn, cOut] -> [cOut, cIn, kh, kw]. */
export function convToPytorch(data: Float32Array, [kh, kw, cin, cout]: number[]): NamedTensor['data'] {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o];
  return out;
}

/**
 * [in, out] -> [out, in]. With `flattened` = [h, w, c], the input index is also moved from NHWC
 * flatten order to NCHW flatten order.
 */
export function denseToPytorch(
  data: Float32Array,
  [nIn, nOut]: number[],
  flattened?: [number, number, number],
): Float32Array {
  const out = new Float32Array(data.length);
  const [h, w, c] = flattened ?? [1, 1, nIn];
  if (h * w * c !== nIn)
    throw new Error(`a flattened [${h}, ${w}, ${c}] input has ${h * w * c} values, the layer takes ${nIn}`);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const tfRow = (y * w + x) * c + ch;
        const ptCol = (ch * h + y) * w + x;
        for (let o = 0; o < nOut; o++) out[o * nIn + ptCol] = data[tfRow * nOut + o];
      }
  return out;
}

/** The [h, w, c] image the model's first dense layer reads flattened, if any (ResNets average-pool instead). */
export function flattenedInput(model: Model): { param: string; hwc: [number, number, number] } | undefined {
  const firstDense = model.params.find((p) => p.kind === 'dense');
  if (!firstDense) return undefined;
  if (model.name === 'mlp' || model.name === 'linear') {
    const s = model.inputShape;
    return s.length === 3 ? { param: firstDense.name, hwc: [s[0], s[1], s[2]] } : undefined;
  }
  if (model.name === 'cnn') {
    const convs = model.params.filter((p) => p.kind === 'conv');
    const c = convs.at(-1)?.variable.shape[3];
    if (!c) return undefined;
    // Each conv block halves height and width with a 2x2 max-pool (cnn.ts), so a non-square input keeps its shape.
    let [h, w] = model.inputShape;
    for (let i = 0; i < convs.length; i++) [h, w] = [outSize(h, 2, 2, 0), outSize(w, 2, 2, 0)];
    return { param: firstDense.name, hwc: [h, w, c] };
  }
  return undefined;
}

/** Every parameter and buffer in PyTorch layout, in the model's order. */
export async function pytorchTensors(model: Model): Promise<NamedTensor[]> {
  const values = await readParams(model);
  const flat = flattenedInput(model);
  const out: NamedTensor[] = [];
  for (const p of model.params) {
    const shape = p.variable.shape as number[];
    const data = values.get(p.name)!;
    if (p.kind === 'conv')
      out.push({ name: p.name, shape: [shape[3], shape[2], shape[0], shape[1]], data: convToPytorch(data, shape) });
    else if (p.kind === 'dense')
      out.push({
        name: p.name,
        shape: [shape[1], shape[0]],
        data: denseToPytorch(data, shape, flat?.param === p.name ? flat.hwc : undefined),
      });
    else out.push({ name: p.name, shape: [...shape], data });
  }
  for (const b of model.buffers) out.push({ name: b.name, shape: [...b.variable.shape], data: values.get(b.name)! });
  return out;
}

/** The model's weights as a .safetensors file (PyTorch names and layouts). */
export async function modelSafetensors(model: Model, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  return encodeSafetensors(await pytorchTensors(model), { format: 'pt', model: model.name, ...metadata });
}
