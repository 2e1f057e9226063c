// The numbers of a duality view at one evaluation, as the results file carries them (README
// "Results format"): the view without its images, stamped with the training point it measured.
import type { DualityAttack, DualityImage, DualityResult } from '../landscape/results';

export interface DualityPoint {
  epoch: number;
  step: number;
  rho: number;
  layer: string;
  firstShare: number;
  attack: DualityAttack;
  images: DualityImage[];
}

export function dualityPoint(r: DualityResult, step: number, epoch: number): DualityPoint {
  return {
    epoch,
    step,
    rho: r.rho,
    layer: r.layer,
    firstShare: r.firstShare,
    attack: { ...r.attack },
    images: r.images.map((i) => ({ ...i })),
  };
}

/** Mean over the images of one number of each image. */
export function meanOver(images: DualityImage[], key: Exclude<keyof DualityImage, 'label'>): number {
  return images.reduce((s, i) => s + i[key], 0) / Math.max(1, images.length);
}
