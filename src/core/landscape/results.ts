// What the landscape computations return: plain serialisable objects (number arrays, no tensors),
// so the worker can post them as they are and the results file can store them as JSON.
//
// A partial result (passed to onPartial while a slice is being computed) has the full axes and
// shorter value arrays: loss.length is the number of points (1-D) or rows (2-D) done so far.

export type LandscapeKind = 'weight-1d' | 'weight-2d' | 'input-1d' | 'input-2d' | 'sharpness' | 'duality';

/** How the adversarial input direction is found. */
export type InputAdversary = 'pgd' | 'gradient-sign';

/** Work of one computation, in passes over the fixed batch. */
export interface LandscapeCost {
  /** Forward passes (one per slice point). */
  evals: number;
  /** Gradient passes (forward + backward, about three forwards each). */
  gradEvals: number;
}

interface Measured {
  /** Examples in the fixed evaluation batch. */
  batchSize: number;
  /** The cost estimated before the computation (estimateCost). */
  estimate: LandscapeCost;
  /** The passes really made. */
  evals: number;
  gradEvals: number;
  /** Wall time, milliseconds. */
  ms: number;
}

/** L(w + a d) for a in alphas (Li et al., 2018, filter-normalised d). */
export interface WeightSlice1d extends Measured {
  kind: 'weight-1d';
  alphas: number[];
  loss: number[];
  acc: number[];
}

/** loss[i][j] = L(w + alphas[i] d1 + betas[j] d2); rows (one per alpha) arrive one at a time. */
export interface WeightSlice2d extends Measured {
  kind: 'weight-2d';
  alphas: number[];
  betas: number[];
  loss: number[][];
  acc: number[][];
}

/** Mean loss of x + t u over the batch, u the adversarial (Adv) or a random (Rand) direction of L-inf norm 1. */
export interface InputSlice1d extends Measured {
  kind: 'input-1d';
  adversary: InputAdversary;
  ts: number[];
  lossAdv: number[];
  lossRand: number[];
  accAdv: number[];
  accRand: number[];
}

/** loss[i][j] = mean loss of x + alphas[i] u_adv + betas[j] u_rand (pixel units, L-inf unit directions). */
export interface InputSlice2d extends Measured {
  kind: 'input-2d';
  adversary: InputAdversary;
  alphas: number[];
  betas: number[];
  loss: number[][];
  acc: number[][];
}

export interface SharpnessResult extends Measured {
  kind: 'sharpness';
  /** L(w) on the batch. */
  loss: number;
  /** L(w + rho g / ||g||_2) - L(w) (Foret et al., 2021), eval mode. */
  samSharpness: number;
  rho: number;
  /** Top Hessian eigenvalue (the top Ritz value of Lanczos, hessian.ts). */
  hessianTop: number;
  /** Its uncertainty: the Ritz residual, an eigenvalue of H lies within it (absent in results saved before Lanczos). */
  hessianResidual?: number;
  iterations: number;
  /** |theta_k - theta_{k-1}| / |theta_k| at the stop, and the tolerance it was held to. */
  relChange: number;
  tolerance: number;
  converged: boolean;
}

/** The numbers of one image of a duality result; norms in pixel units times 255. */
export interface DualityImage {
  label: number;
  /** ||A d - b|| / ||b||: the share of the first-layer weight perturbation's effect no input shift expresses. */
  relResidual: number;
  /** ||A^T (A d - b)|| / ||A^T b|| where CGLS stopped. */
  normalResidual: number;
  dL2: number;
  dLinf: number;
  deltaL2: number;
  deltaLinf: number;
  /** cos(d, delta) over all pixels and channels (0 when either is 0). */
  cos: number;
}

/** The PGD attack whose delta a duality result shows (the AT run's own, else the evaluation's first). */
export interface DualityAttack {
  norm: 'linf' | 'l2';
  eps: number;
  stepSize: number;
  steps: number;
}

/**
 * What SAM's weight perturbation does to the input (core/duality/dualityView.ts): for a few images
 * of the fixed batch, the minimum-norm pixel shift d with W d ~ E x, E the first conv's slice of
 * e = rho g / ||g|| (one norm over all parameters), beside the model's PGD perturbation delta.
 */
export interface DualityResult extends Measured {
  kind: 'duality';
  rho: number;
  /** The first conv's parameter name, e.g. "conv1.weight". */
  layer: string;
  /** ||E_first|| / rho: the share of the whole perturbation's length that lies in the first conv. */
  firstShare: number;
  attack: DualityAttack;
  /** One image, [h, w, c]. */
  shape: number[];
  /**
   * Images, d and delta, pixel units, flattened [images, h, w, c]. Typed arrays: a run keeps one of
   * these per evaluation, and every save of the run (IndexedDB) and every post copies them all; a
   * typed array is copied as one block, an array of numbers element by element on the main thread.
   */
  x: Float32Array;
  d: Float32Array;
  delta: Float32Array;
  images: DualityImage[];
  /** CGLS iterations (all images together). */
  iterations: number;
}

export type LandscapeResult =
  WeightSlice1d | WeightSlice2d | InputSlice1d | InputSlice2d | SharpnessResult | DualityResult;
