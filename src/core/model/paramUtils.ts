// Whole-model parameter helpers: exact snapshots (SAM's restore, landscapes, best-model keeping),
// parameter counts and forward FLOPs for the benchmarks.
import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';

/** Cloned tensors of every parameter and buffer, in model order; dispose with disposeSnapshot. */
export interface ParamSnapshot {
  params: tf.Tensor[];
  buffers: tf.Tensor[];
}

/** Copies all parameters and buffers on the device (no read-back). */
export function snapshotParams(model: Model): ParamSnapshot {
  return {
    params: model.params.map((p) => tf.clone(p.variable)),
    buffers: model.buffers.map((b) => tf.clone(b.variable)),
  };
}

/** Writes a snapshot back bit-exactly; the snapshot stays valid for further restores. */
export function restoreParams(model: Model, snap: ParamSnapshot): void {
  const fits = (vars: { variable: tf.Variable }[], saved: tf.Tensor[]) =>
    vars.length === saved.length && vars.every((v, i) => tf.util.arraysEqual(v.variable.shape, saved[i].shape));
  // Checked before any write, so a wrong snapshot leaves the model as it was.
  if (!fits(model.params, snap.params) || !fits(model.buffers, snap.buffers)) {
    throw new Error(`snapshot of ${snap.params.length} params / ${snap.buffers.length} buffers does not fit model ${model.name}`);
  }
  model.params.forEach((p, i) => p.variable.assign(snap.params[i]));
  model.buffers.forEach((b, i) => b.variable.assign(snap.buffers[i]));
}

export function disposeSnapshot(snap: ParamSnapshot): void {
  tf.dispose(snap.params);
  tf.dispose(snap.buffers);
}

/** Parameters (and buffers) read back as Float32Array copies (sliced: the cpu backend hands out its own storage), by name: for exports and checks. */
export async function readParams(model: Model): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const { name, variable } of [...model.params, ...model.buffers]) out.set(name, ((await variable.data()) as Float32Array).slice());
  return out;
}

/** Writes Float32Array values by name (as readParams gives them) back into the model, bit-exactly. */
export function writeParams(model: Model, values: Map<string, Float32Array>): void {
  for (const { name, variable } of [...model.params, ...model.buffers]) {
    const v = values.get(name);
    if (!v) throw new Error(`no value for ${name}`);
    if (v.length !== variable.size) throw new Error(`${name} holds ${variable.size} values, got ${v.length}`);
    tf.tidy(() => variable.assign(tf.tensor(v, variable.shape, 'float32')));
  }
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
