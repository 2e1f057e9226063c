// Whole-model parameter helpers: read-back for exports and checks, parameter counts and forward
// FLOPs for the benchmarks. (Saving and restoring weights on the device: landscape/weightOrigin.ts.)
import type { Model } from './model';

/** Parameters (and buffers) read back as Float32Array copies (sliced: the cpu backend hands out its own storage), by name: for exports and checks. */
export async function readParams(model: Model): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const { name, variable } of [...model.params, ...model.buffers])
    out.set(name, ((await variable.data()) as Float32Array).slice());
  return out;
}

/** Trainable parameters (BatchNorm running buffers excluded, as PyTorch counts them). */
export function countParams(model: Model): number {
  return model.params.reduce((n, p) => n + p.variable.size, 0);
}

/** FLOPs of one example's forward pass (convs 2 kh kw cIn cOut hOut wOut, dense 2 in out; elementwise ops not counted). */
export function flopsPerExample(model: Model): number {
  if (model.flopsPerExample === undefined) throw new Error(`model ${model.name} does not report its FLOPs`);
  return model.flopsPerExample;
}
