// The training-loss curve of one run as the page keeps it: an exponential moving average of the
// per-step loss, thinned so that a long run never holds (or draws) more than MAX_LOSS_POINTS points.

export interface LossPoint {
  step: number;
  /** Smoothed loss: EMA with weight LOSS_SMOOTHING on the newest step (bias-corrected like Adam's moments). */
  loss: number;
}

export interface LossSeries {
  points: LossPoint[];
  /** Raw EMA state and how many steps it has seen, for the bias correction. */
  ema: number;
  seen: number;
  /** Keep one point every `stride` steps; doubles each time the series fills up. */
  stride: number;
}

export const LOSS_SMOOTHING = 0.1;
export const MAX_LOSS_POINTS = 400;

export const EMPTY_LOSS_SERIES: LossSeries = { points: [], ema: 0, seen: 0, stride: 1 };

/** Adds one step's loss. Non-finite losses (a diverging run) are not drawn and leave the EMA as it was. */
export function addLoss(series: LossSeries, step: number, loss: number): LossSeries {
  if (!Number.isFinite(loss)) return series;
  const ema = series.ema + LOSS_SMOOTHING * (loss - series.ema);
  const seen = series.seen + 1;
  const smoothed = ema / (1 - (1 - LOSS_SMOOTHING) ** seen);
  let { points, stride } = series;
  if (step % stride === 0 || points.length === 0) {
    points = [...points, { step, loss: smoothed }];
    if (points.length > MAX_LOSS_POINTS) {
      stride *= 2;
      points = points.filter((p, i) => i === 0 || p.step % stride === 0 || i === points.length - 1);
    }
  }
  return { points, ema, seen, stride };
}
