// The lab's `preact-resnet10` (src/core/model/preactResnet.ts) written as a jax-js user would:
// parameters in a flat object under the PyTorch names, NCHW activations and OIHW conv kernels (the
// layouts lax.convGeneralDilated takes), a pure forward function that takes ownership of its
// arguments (jax-js's reference-counting rule) and returns the batch statistics of every BatchNorm.
import { lax, nn, numpy as np, random } from '@jax-js/jax';

export type Params = Record<string, np.Array>;

/** PyTorch's BatchNorm eps. */
const BN_EPS = 1e-5;

/** The bench data's normalisation (measure.ts `randomSet`: mean 0.5, std 0.29 per channel), inside the model as in the lab. */
const INPUT_MEAN = 0.5;
const INPUT_STD = 0.29;

interface ConvSpec {
  name: string;
  cIn: number;
  cOut: number;
  kernel: number;
  stride: number;
}

interface BlockSpec {
  prefix: string;
  conv1: ConvSpec;
  conv2: ConvSpec;
  shortcut?: ConvSpec;
}

export interface ResnetLayout {
  stem: ConvSpec;
  blocks: BlockSpec[];
  /** Channels into the final BatchNorm and the linear layer. */
  features: number;
  classes: number;
}

/** One PreActBlock per stage, widths w, 2w, 4w, 8w, strides 1, 2, 2, 2; 3 input channels, 10 classes. */
export function resnet10Layout(width: number): ResnetLayout {
  const blocks: BlockSpec[] = [];
  let c = width;
  [1, 2, 2, 2].forEach((stride, s) => {
    const planes = width * 2 ** s;
    const prefix = `layer${s + 1}.0`;
    const block: BlockSpec = {
      prefix,
      conv1: { name: `${prefix}.conv1`, cIn: c, cOut: planes, kernel: 3, stride },
      conv2: { name: `${prefix}.conv2`, cIn: planes, cOut: planes, kernel: 3, stride: 1 },
    };
    if (stride !== 1 || c !== planes)
      block.shortcut = { name: `${prefix}.shortcut.0`, cIn: c, cOut: planes, kernel: 1, stride };
    blocks.push(block);
    c = planes;
  });
  return { stem: { name: 'conv1', cIn: 3, cOut: width, kernel: 3, stride: 1 }, blocks, features: c, classes: 10 };
}

/** Every BatchNorm's name prefix and channel count, in forward order. */
export function batchNorms(layout: ResnetLayout): [string, number][] {
  return [
    ...layout.blocks.flatMap((b): [string, number][] => [
      [`${b.prefix}.bn1`, b.conv1.cIn],
      [`${b.prefix}.bn2`, b.conv1.cOut],
    ]),
    ['bn', layout.features],
  ];
}

const convs = (layout: ResnetLayout): ConvSpec[] => [
  layout.stem,
  ...layout.blocks.flatMap((b) => [b.conv1, b.conv2, ...(b.shortcut ? [b.shortcut] : [])]),
];

/** PyTorch's default init: convs and linear U(-1/sqrt(fanIn), 1/sqrt(fanIn)), BatchNorm gamma 1 and beta 0. */
export function initParams(layout: ResnetLayout, key: np.Array): Params {
  const cs = convs(layout);
  const keys = random.split(key, cs.length + 2);
  const uniform = (k: np.Array, shape: number[], fanIn: number) =>
    random.uniform(k, shape, { minval: -1 / Math.sqrt(fanIn), maxval: 1 / Math.sqrt(fanIn) });
  const p: Params = {};
  cs.forEach((c, i) => {
    p[`${c.name}.weight`] = uniform(keys.ref.slice(i), [c.cOut, c.cIn, c.kernel, c.kernel], c.cIn * c.kernel ** 2);
  });
  for (const [prefix, channels] of batchNorms(layout)) {
    p[`${prefix}.weight`] = np.ones([channels]);
    p[`${prefix}.bias`] = np.zeros([channels]);
  }
  p['linear.weight'] = uniform(keys.ref.slice(cs.length), [layout.classes, layout.features], layout.features);
  p['linear.bias'] = uniform(keys.slice(cs.length + 1), [layout.classes], layout.features);
  return p;
}

/** Trainable parameters, BatchNorm running buffers excluded (as the lab's countParams). */
export const paramCount = (p: Params): number => Object.values(p).reduce((n, a) => n + a.size, 0);

/** Batch mean and biased variance of each BatchNorm, by prefix. */
export type BatchStats = Record<string, { mean: np.Array; variance: np.Array }>;

const channelShape = (a: np.Array) => a.reshape([1, -1, 1, 1]);

/** Training-mode BatchNorm over N, H, W with the batch's statistics; records them in `stats`. */
function batchNorm(x: np.Array, p: Params, prefix: string, stats: BatchStats): np.Array {
  const mean = np.mean(x.ref, [0, 2, 3], { keepdims: true });
  const centred = x.sub(mean.ref);
  const variance = np.mean(np.square(centred.ref), [0, 2, 3], { keepdims: true });
  stats[prefix] = { mean: mean.reshape([-1]), variance: variance.ref.reshape([-1]) };
  const scale = channelShape(p[`${prefix}.weight`]).div(np.sqrt(variance.add(BN_EPS)));
  return centred.mul(scale).add(channelShape(p[`${prefix}.bias`]));
}

function conv(x: np.Array, p: Params, c: ConvSpec): np.Array {
  const pad = (c.kernel - 1) / 2;
  return lax.convGeneralDilated(
    x,
    p[`${c.name}.weight`],
    [c.stride, c.stride],
    [
      [pad, pad],
      [pad, pad],
    ],
  );
}

/**
 * Logits [N, classes] of images `x` [N, 3, 32, 32] in [0, 1], and the batch statistics. Takes
 * ownership of `p` and `x`; each parameter is used once, so no `.ref` on them.
 */
export function forward(layout: ResnetLayout, p: Params, x: np.Array): [np.Array, BatchStats] {
  const stats: BatchStats = {};
  let y = conv(x.sub(INPUT_MEAN).mul(1 / INPUT_STD), p, layout.stem);
  for (const b of layout.blocks) {
    const pre = nn.relu(batchNorm(y.ref, p, `${b.prefix}.bn1`, stats));
    // The shortcut is the raw input unless a 1x1 conv (of the pre-activated input) changes its shape.
    const shortcut = b.shortcut ? conv(pre.ref, p, b.shortcut) : y.ref;
    y.dispose();
    const h = nn.relu(batchNorm(conv(pre, p, b.conv1), p, `${b.prefix}.bn2`, stats));
    y = conv(h, p, b.conv2).add(shortcut);
  }
  const features = np.mean(nn.relu(batchNorm(y, p, 'bn', stats)), [2, 3]);
  const logits = lax
    .dot(features, p['linear.weight'], { lhsContractingDims: [1], rhsContractingDims: [1] })
    .add(p['linear.bias']);
  return [logits, stats];
}

/** Mean (or summed) cross-entropy of `logits` against one-hot labels; takes ownership of both. */
export function crossEntropy(logits: np.Array, oneHot: np.Array, reduce: 'mean' | 'sum'): np.Array {
  const n = logits.shape[0];
  return nn
    .logSoftmax(logits, -1)
    .mul(oneHot)
    .sum()
    .mul(reduce === 'mean' ? -1 / n : -1);
}
