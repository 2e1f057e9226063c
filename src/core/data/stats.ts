// Per-channel mean and (population) standard deviation of pixel/255, to check and record the
// normalisation constants of a dataset.
import type { ByteImages } from './images';

export function channelStats(images: ByteImages): { mean: number[]; std: number[] } {
  const c = images.shape[2];
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  const px = images.pixels;
  for (let i = 0; i < px.length; i += c) {
    for (let k = 0; k < c; k++) {
      const v = px[i + k];
      sum[k] += v;
      sumSq[k] += v * v;
    }
  }
  const count = px.length / c;
  const mean = Array.from(sum, (s) => s / count / 255);
  const std = Array.from(sumSq, (s, k) => Math.sqrt(Math.max(0, s / count / 65025 - mean[k] * mean[k])));
  return { mean, std };
}

/** Number of examples of each class. */
export function classCounts(labels: Uint8Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}
