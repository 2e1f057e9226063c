// Stock tfjs as a user writes it: the PreAct ResNet-10 as a tf.layers model (layersResnet.ts),
// trained by tf.variableGrads and a tf.train.momentum optimiser, BatchNorm in training mode in every
// pass (tf.layers then moves its running statistics on each one, SAM's second and PGD's included).
// Same hyper-parameters as the lab's bench trainer (measure.ts benchSpec) and the same first batch.
import * as tf from '@tensorflow/tfjs';
import { benchData, benchSpec } from '../lib/measure';
import { preactResnet10Layers, trainableParamCount } from './layersResnet';
import type { PeerCase, PeerMethod, PeerStepper } from './peer';
import type { RacedPeer } from './peerSuite';

const SAM_RHO = 0.05;
const PGD = { eps: 8 / 255, stepSize: 2 / 255, steps: 5 };

/** A layers model's training needs both conv gradient kernels, which tfjs does not have on every backend. */
const CONV_GRADIENT_KERNELS = ['Conv2DBackpropInput', 'Conv2DBackpropFilter'];

export class LayersStepper implements PeerStepper {
  private readonly model: tf.LayersModel;
  private readonly vars: tf.Variable[];
  private readonly optimizer: tf.MomentumOptimizer;
  private readonly weightDecay: number;
  private readonly x: tf.Tensor4D;
  private readonly y: tf.Tensor2D;
  private readonly scale: tf.Tensor1D;
  private readonly shift: tf.Tensor1D;

  constructor(
    c: PeerCase,
    private readonly method: PeerMethod,
  ) {
    const { train } = benchSpec({ model: 'preact-resnet10', width: c.width, batch: c.batch }, 'sgd');
    const data = benchData(c.batch).train;
    this.weightDecay = train.weightDecay;
    this.model = preactResnet10Layers(c.width, c.seed);
    this.vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.optimizer = tf.train.momentum(train.lr, train.momentum);
    this.x = tf.tensor4d(data.x.subarray(0, c.batch * 3072), [c.batch, 32, 32, 3]);
    this.y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.y.subarray(0, c.batch), 'int32'), 10) as tf.Tensor2D);
    // The dataset's normalisation (x - mean) / std, outside the model so that PGD works on pixels.
    this.scale = tf.tensor1d(data.std.map((s) => 1 / s));
    this.shift = tf.tensor1d(data.mean.map((m, i) => -m / data.std[i]));
  }

  async step(): Promise<void> {
    await this.lossStep();
  }

  /** One step; its loss (at w, for SAM; on the adversarial batch, for AT), read back. */
  async lossStep(): Promise<number> {
    const loss = tf.tidy(() => {
      if (this.method === 'sam') return this.samStep();
      const x = this.method === 'at-pgd5' ? this.pgd() : this.x;
      const { value, grads } = tf.variableGrads(() => this.lossAt(x), this.vars);
      this.update(grads);
      return value;
    });
    try {
      return (await loss.data())[0];
    } finally {
      loss.dispose();
    }
  }

  private lossAt(x: tf.Tensor): tf.Scalar {
    const logits = this.model.apply(tf.add(tf.mul(x, this.scale), this.shift), { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(this.y, logits) as tf.Scalar;
  }

  /** PyTorch's SGD weight decay d = g + wd w (tfjs's optimisers have none), then the momentum step. */
  private update(grads: tf.NamedTensorMap): void {
    this.optimizer.applyGradients(
      Object.fromEntries(this.vars.map((v) => [v.name, tf.add(grads[v.name], tf.mul(v, this.weightDecay))])),
    );
  }

  /** SAM (Foret et al., 2021): g at w, e = rho g / (||g||_2 + 1e-12), g' at w + e, back to w, step with g'. */
  private samStep(): tf.Scalar {
    const first = tf.variableGrads(() => this.lossAt(this.x), this.vars);
    const g = this.vars.map((v) => first.grads[v.name]);
    const norm = tf.sqrt(tf.addN(g.map((t) => tf.sum(tf.square(t)))));
    const factor = tf.div(SAM_RHO, tf.add(norm, 1e-12));
    const e = g.map((t) => tf.mul(t, factor));
    this.vars.forEach((v, i) => v.assign(tf.add(v, e[i])));
    const second = tf.variableGrads(() => this.lossAt(this.x), this.vars);
    this.vars.forEach((v, i) => v.assign(tf.sub(v, e[i])));
    this.update(second.grads);
    return first.value;
  }

  /** PGD L-inf (Madry et al., 2018): random start in the eps-ball, k signed-gradient steps, each projected to the ball and [0, 1]. */
  private pgd(): tf.Tensor {
    const inputGrad = tf.grad((xa: tf.Tensor) => this.lossAt(xa));
    const project = (adv: tf.Tensor) =>
      tf.clipByValue(tf.minimum(tf.maximum(adv, tf.sub(this.x, PGD.eps)), tf.add(this.x, PGD.eps)), 0, 1);
    let adv = project(tf.add(this.x, tf.randomUniform(this.x.shape, -PGD.eps, PGD.eps)));
    for (let i = 0; i < PGD.steps; i++) {
      const prev = adv;
      adv = tf.tidy(() => project(tf.add(prev, tf.mul(tf.sign(inputGrad(prev)), PGD.stepSize))));
      prev.dispose();
    }
    return adv;
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose() skips its parent's, which frees the learning-rate scalar.
    tf.SGDOptimizer.prototype.dispose.call(this.optimizer);
    tf.dispose([this.x, this.y, this.scale, this.shift]);
  }
}

export const tfjsLayersPeer = {
  name: 'tfjs-layers',
  async create(c: PeerCase, method: PeerMethod, backend: string): Promise<PeerStepper | string> {
    const missing = CONV_GRADIENT_KERNELS.filter((k) => !tf.getKernel(k, backend));
    if (missing.length)
      return `tfjs has no ${missing.join(' / ')} kernel on ${backend}: a stock tf.layers conv net cannot train there`;
    return new LayersStepper(c, method);
  },
  paramCount(width: number): number {
    const m = preactResnet10Layers(width, 0);
    try {
      return trainableParamCount(m);
    } finally {
      m.dispose();
    }
  },
} satisfies RacedPeer;
