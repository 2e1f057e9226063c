// Reverse-mode gradients that free memory as they go. tfjs's engine.gradients keeps every tensor
// the forward pass saved for the backward pass, and every intermediate gradient, until the whole
// backward pass ends, so a step's peak is the forward activations plus all their gradients. Walking
// the same tape in the same order, a node's saved tensors and its outputs' gradients are needed by
// that node alone: freed once it has run, the peak falls to the activations not yet reached plus a
// few gradients. The arithmetic is tfjs's own, op for op: results are bit-identical (leanGradients.test.ts).
// With the models' per-block scopes (layers.ts), measured in Node on wasm (tf.profile peak bytes,
// 2026-12-02): a PreAct ResNet-10 width 16 SGD step at batch 128 from 488 to 236 MiB of live
// tensors (the worker's wasm heap from 560 to 270 MiB), the default preset's CNN at batch 64 from
// 52 to 34 MiB (heap 69 to 48 MiB).
//
// Why our own walk and not a patched tfjs: the engine's backward pass (tfjs-core tape.ts) is not
// exported, and engine.gradients is the one method every gradient (tf.grad, tf.variableGrads)
// goes through. Nested gradients (a gradient inside a gradient's function) still get tfjs's own.
import * as tf from '@tensorflow/tfjs';

/** What engine.gradients reads of a tape entry (tfjs-core tape.ts TapeNode). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

/** The parts of tfjs's Engine (tfjs-core engine.ts) this walk uses. */
interface EngineInternals {
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  startTape(): void;
  endTape(): void;
  scopedRun<R>(start: () => void, end: () => void, f: () => R): R;
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients<T extends tf.Tensor>(
    f: () => T,
    xs: tf.Tensor[],
    dy?: T,
    allowNoGradients?: boolean,
  ): { value: T; grads: tf.Tensor[] };
}

type Gradients = EngineInternals['gradients'];

/** Where the lean method keeps tfjs's own: the engine is a global that outlives a module (a test file, a hot reload). */
const TFJS = Symbol.for('duality-lab.tfjsGradients');

/** The tape's nodes on a path from some x in `xs` to `y`, in tape order, with their inputs cut to those that depend on `xs`. */
function nodesFromXsToY(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromXs = new Set(xs.map((x) => x.id));
  const reached = tape.map((node) => {
    const hit = Object.values(node.inputs).some((t) => fromXs.has(t.id));
    if (hit) for (const o of node.outputs) fromXs.add(o.id);
    return hit;
  });
  const toY = new Set([y.id]);
  const leads = tape.map(() => false);
  for (let i = tape.length - 1; i >= 0; i--) {
    if (!tape[i].outputs.some((o) => toY.has(o.id))) continue;
    leads[i] = true;
    for (const t of Object.values(tape[i].inputs)) toY.add(t.id);
  }
  return tape.flatMap((node, i) =>
    reached[i] && leads[i]
      ? [{ ...node, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, t]) => fromXs.has(t.id))) }]
      : [],
  );
}

/**
 * Makes every later top-level gradient in this thread free its tape as it walks it; idempotent.
 * Returns tfjs's own method (bound), which the tests compare against.
 */
export function installLeanGradients(): Gradients {
  const engine = tf.engine() as unknown as EngineInternals;
  const current = engine.gradients as Gradients & { [TFJS]?: Gradients };
  if (current[TFJS]) return current[TFJS];
  const tfjs = current.bind(engine);
  const lean = <T extends tf.Tensor>(f: () => T, xs: tf.Tensor[], dy?: T, allowNoGradients = false) => {
    if (engine.state.gradientDepth > 0) return tfjs(f, xs, dy, allowNoGradients);
    if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
    if (dy != null && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = engine.scopedRun(
      () => engine.startTape(),
      () => engine.endTape(),
      () => engine.tidy('forward', f),
    );
    if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.');
    const tape = engine.state.activeTape ?? [];
    const path = nodesFromXsToY(tape, xs, y);
    if (!allowNoGradients && path.length === 0)
      throw new Error('Cannot compute gradient of y=f(x) with respect to x: f does not lead from x to y.');
    return engine.tidy('backward', () => {
      const grad = new Map<number, tf.Tensor>([[y.id, dy ?? tf.ones(y.shape)]]);
      const wanted = new Set(xs.map((x) => x.id));
      for (let i = path.length - 1; i >= 0; i--) {
        const node = path[i];
        if (!node.gradient)
          throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
        const inputGrads = node.gradient(node.outputs.map((o) => grad.get(o.id) ?? null));
        for (const [name, x] of Object.entries(node.inputs)) {
          if (!(name in inputGrads)) throw new Error(`Cannot backprop through input ${name} of ${node.kernelName}.`);
          const dx = engine.tidy(() => inputGrads[name]());
          if (dx.dtype !== 'float32')
            throw new Error(`The gradient of ${node.kernelName}'s input ${name} must be float32, got ${dx.dtype}.`);
          if (!tf.util.arraysEqual(dx.shape, x.shape))
            throw new Error(
              `The gradient of ${node.kernelName}'s input ${name} has shape ${dx.shape}, not ${x.shape}.`,
            );
          const sum = grad.get(x.id);
          grad.set(x.id, sum ? tf.add(sum, dx) : dx);
          sum?.dispose();
        }
        // No node before this one reads its outputs' gradients or its saved tensors.
        for (const o of node.outputs) {
          const g = grad.get(o.id);
          if (!g || wanted.has(o.id)) continue;
          grad.delete(o.id);
          // A gradient function may hand dy on as its input's gradient: the same tensor, still needed.
          if (g !== dy && ![...grad.values()].includes(g)) g.dispose();
        }
        for (const t of node.saved ?? []) t.dispose();
      }
      const grads = xs.map((x) => grad.get(x.id)!);
      for (const node of tape) for (const t of node.saved ?? []) t.dispose();
      engine.state.activeTape = null;
      return { value: y, grads };
    });
  };
  engine.gradients = Object.assign(lean, { [TFJS]: tfjs });
  return tfjs;
}
