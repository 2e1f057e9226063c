// The jax-js peer (@jax-js/jax): the lab's PreAct ResNet-10 step written the JAX way, one jit-compiled
// pure function per method that takes (state, batch) and returns (new state, loss). Optimiser as the
// lab's: SGD with momentum 0.9 and weight decay 5e-4 on every parameter (PyTorch semantics, sgd.ts),
// a constant learning rate, and the BatchNorm running statistics updated once per step from the
// first training pass (momentum 0.1, unbiased variance) as batchStats.ts does.
// Importing this file does nothing: jax-js starts a device only in create().
import {
  blockUntilReady,
  defaultDevice,
  grad,
  init,
  jit,
  nn,
  numpy as np,
  random,
  tree,
  valueAndGrad,
  type Device,
} from '@jax-js/jax';
import type { Peer, PeerCase, PeerMethod, PeerStepper } from './peer';
import {
  batchNorms,
  crossEntropy,
  forward,
  initParams,
  paramCount,
  resnet10Layout,
  type BatchStats,
  type Params,
  type ResnetLayout,
} from './jaxResnet';

const LR = 0.1;
const MOMENTUM = 0.9;
const WEIGHT_DECAY = 5e-4;
const BN_MOMENTUM = 0.1;
const SAM_RHO = 0.05;
/** SAM's guard in the normalisation of g, as the lab's sam.ts. */
const SAM_EPS = 1e-12;
const PGD_STEPS = 5;
const PGD_EPS = 8 / 255;
const PGD_STEP = 2 / 255;

type State = { params: Params; velocity: Params; running: Params };

export interface JaxStepper extends PeerStepper {
  /** The loss of the last step (at w, before the update), read back by step(). */
  lastLoss: number;
  /** Trainable parameters of the model. */
  paramCount: number;
}

/** Mean cross-entropy of the batch and, as aux, its BatchNorm statistics. */
const lossWithStats = (layout: ResnetLayout) => (p: Params, x: np.Array, oneHot: np.Array) => {
  const [logits, stats] = forward(layout, p, x);
  return [crossEntropy(logits, oneHot, 'mean'), stats] as [np.Array, BatchStats];
};

/** The loss alone: a SAM second pass or a PGD pass uses the batch statistics but drops them, as in the lab. */
const lossOnly = (layout: ResnetLayout, reduce: 'mean' | 'sum') => (p: Params, x: np.Array, oneHot: np.Array) => {
  const [logits, stats] = forward(layout, p, x);
  tree.dispose(stats);
  return crossEntropy(logits, oneHot, reduce);
};

/** Values per channel each BatchNorm's statistics are taken over (batch x h x w), by prefix. */
function statCounts(layout: ResnetLayout, batch: number): Record<string, number> {
  const counts: Record<string, number> = {};
  let hw = 32 * 32;
  for (const b of layout.blocks) {
    counts[`${b.prefix}.bn1`] = batch * hw;
    hw /= b.conv1.stride ** 2;
    counts[`${b.prefix}.bn2`] = batch * hw;
  }
  counts.bn = batch * hw;
  return counts;
}

/** SGD with momentum and weight decay, then the running statistics; takes ownership of everything. */
function update(s: State, grads: Params, stats: BatchStats, counts: Record<string, number>): State {
  const params: Params = {};
  const velocity: Params = {};
  for (const [name, w] of Object.entries(s.params)) {
    const v = s.velocity[name].mul(MOMENTUM).add(grads[name].add(w.ref.mul(WEIGHT_DECAY)));
    velocity[name] = v.ref;
    params[name] = w.sub(v.mul(LR));
  }
  const running: Params = {};
  for (const [prefix, { mean, variance }] of Object.entries(stats)) {
    const unbias = counts[prefix] / (counts[prefix] - 1);
    const blend = (old: np.Array, batch: np.Array) => old.mul(1 - BN_MOMENTUM).add(batch);
    running[`${prefix}.running_mean`] = blend(s.running[`${prefix}.running_mean`], mean.mul(BN_MOMENTUM));
    running[`${prefix}.running_var`] = blend(s.running[`${prefix}.running_var`], variance.mul(BN_MOMENTUM * unbias));
  }
  return { params, velocity, running };
}

/** PGD-5 L-inf from a random start (Madry et al., 2018) on the summed loss; takes ownership of everything. */
function pgd(layout: ResnetLayout, p: Params, x: np.Array, oneHot: np.Array, key: np.Array): np.Array {
  const inputGrad = grad(lossOnly(layout, 'sum'), { argnums: 1 });
  const lo = x.ref.sub(PGD_EPS);
  const hi = x.ref.add(PGD_EPS);
  let adv = np.clip(x.add(random.uniform(key, x.shape, { minval: -PGD_EPS, maxval: PGD_EPS })), 0, 1);
  for (let i = 0; i < PGD_STEPS; i++) {
    const g = inputGrad(tree.ref(p), adv.ref, oneHot.ref);
    adv = np.clip(np.minimum(np.maximum(adv.add(np.sign(g).mul(PGD_STEP)), lo.ref), hi.ref), 0, 1);
  }
  tree.dispose([p, oneHot, lo, hi]);
  return adv;
}

/** e = rho g / (||g|| + 1e-12), one norm over all parameters (Foret et al., 2021); takes ownership of `g`. */
function samPerturbation(g: Params): Params {
  const sumSq = Object.values(g)
    .map((gi) => np.square(gi.ref).sum())
    .reduce((a, b) => a.add(b));
  const scale = np.reciprocal(np.sqrt(sumSq).add(SAM_EPS)).mul(SAM_RHO);
  const e: Params = {};
  for (const [name, gi] of Object.entries(g)) e[name] = gi.mul(scale.ref);
  scale.dispose();
  return e;
}

/**
 * The whole step of `method` as one function of (state, images, one-hot labels, PRNG key) to jit;
 * the loss it returns is the training pass's at w (on x_adv for AT), as the lab reports it.
 */
function stepFunction(layout: ResnetLayout, method: PeerMethod, batch: number) {
  const trainGrad = valueAndGrad(lossWithStats(layout), { hasAux: true });
  const counts = statCounts(layout, batch);
  return (s: State, x: np.Array, oneHot: np.Array, key: np.Array): [State, np.Array] => {
    // The attack's passes use the batch statistics and report none (the lab's 'train-frozen').
    const xTrain = method === 'at-pgd5' ? pgd(layout, tree.ref(s.params), x, oneHot.ref, key) : x;
    if (method !== 'at-pgd5') key.dispose();
    const [[loss, stats], g] = trainGrad(tree.ref(s.params), xTrain.ref, oneHot.ref);
    if (method !== 'sam') {
      tree.dispose([xTrain, oneHot]);
      return [update(s, g, stats, counts), loss];
    }
    const e = samPerturbation(g);
    const shifted: Params = {};
    for (const [name, w] of Object.entries(s.params)) shifted[name] = w.ref.add(e[name]);
    const gAtShifted = grad(lossOnly(layout, 'mean'))(shifted, xTrain, oneHot);
    return [update(s, gAtShifted, stats, counts), loss];
  };
}

const DEVICES: readonly Device[] = ['cpu', 'wasm', 'webgpu', 'webgl'];

/** A stepper on jax-js's `device`, which init() must have started. */
export function createJaxStepper(c: PeerCase, method: PeerMethod, device: Device): JaxStepper {
  defaultDevice(device);
  const layout = resnet10Layout(c.width);
  const keys = random.split(random.key(c.seed), 3);
  const params = initParams(layout, keys.ref.slice(0));
  const running: Params = {};
  for (const [prefix, channels] of batchNorms(layout)) {
    running[`${prefix}.running_mean`] = np.zeros([channels]);
    running[`${prefix}.running_var`] = np.ones([channels]);
  }
  const velocity: Params = {};
  for (const [name, w] of Object.entries(params)) velocity[name] = np.zeros(w.shape);
  let state: State = { params, velocity, running };
  // A fixed batch, as the lab's bench data: uniform images in [0, 1], labels i mod 10.
  const x = random.uniform(keys.ref.slice(1), [c.batch, 3, 32, 32]);
  const labels = Int32Array.from({ length: c.batch }, (_, i) => i % 10);
  const oneHot = nn.oneHot(np.array(labels, { dtype: np.int32 }), layout.classes);
  let key = keys.slice(2);
  const step = jit(stepFunction(layout, method, c.batch));
  return {
    lastLoss: NaN,
    paramCount: paramCount(params),
    async step() {
      defaultDevice(device);
      const pair = random.split(key, 2);
      key = pair.ref.slice(0);
      const [next, loss] = step(state, x.ref, oneHot.ref, pair.slice(1));
      state = next;
      // Blocks until the updated weights exist, not only the loss.
      await blockUntilReady(state);
      this.lastLoss = (await loss.data())[0];
    },
    dispose() {
      tree.dispose([state, x, oneHot, key]);
      step.dispose();
    },
  };
}

export const jaxPeer: Peer = {
  name: 'jax-js',
  async create(c, method, backend) {
    const device = DEVICES.find((d) => d === backend);
    if (!device) return `jax-js has no ${backend} device (it has ${DEVICES.join(', ')})`;
    // Its cpu device interprets every op in JavaScript, "only meant for debugging" (its README): one
    // step of the smallest case ran for over 20 minutes here, past every cap, and cannot be stopped.
    if (device === 'cpu') return "jax-js's cpu device is its interpreted debugging device: not raced";
    try {
      // Node has no navigator.gpu (Node 20 no navigator at all): jax-js's GPU devices throw there.
      if (!(await init(device)).includes(device)) return `jax-js's ${device} device is not available here`;
    } catch (e) {
      return `jax-js's ${device} device failed to start here: ${e instanceof Error ? e.message : String(e)}`;
    }
    return createJaxStepper(c, method, device);
  },
};
