// BatchNorm running statistics, updated once per optimiser step from the batch statistics a
// 'train' forward pass reported, with PyTorch's rule:
//   running_mean = (1 - momentum) running_mean + momentum batch_mean
//   running_var  = (1 - momentum) running_var  + momentum batch_var * n / (n - 1)   (unbiased)
import * as tf from '@tensorflow/tfjs';
import type { BatchStatsSink, Model } from './model';

export interface BatchStats {
  mean: tf.Tensor1D;
  /** Biased (population) variance of the batch. */
  variance: tf.Tensor1D;
  /** Values per channel the statistics were taken over (batch * h * w). */
  count: number;
}

export interface BatchStatsCollector {
  sink: BatchStatsSink;
  collected: Map<string, BatchStats>;
}

/** A sink that gathers each BatchNorm layer's statistics once; a layer reporting twice is an error. */
export function createBatchStatsCollector(): BatchStatsCollector {
  const collected = new Map<string, BatchStats>();
  const sink: BatchStatsSink = (prefix, mean, variance, count) => {
    if (collected.has(prefix)) {
      mean.dispose();
      variance.dispose();
      throw new Error(`BatchNorm ${prefix} reported statistics twice in one step`);
    }
    collected.set(prefix, { mean, variance, count });
  };
  return { sink, collected };
}

/** Folds the collected statistics into the model's running buffers, then disposes them and clears the map. */
export function applyBatchStats(model: Model, collected: Map<string, BatchStats>, momentum = 0.1): void {
  const buffers = new Map(model.buffers.map((b) => [b.name, b.variable]));
  try {
    for (const [prefix, stats] of collected) {
      const runningMean = buffers.get(`${prefix}.running_mean`);
      const runningVar = buffers.get(`${prefix}.running_var`);
      if (!runningMean || !runningVar)
        throw new Error(`model ${model.name} has no BatchNorm buffers named ${prefix}.running_mean / running_var`);
      const unbias = stats.count > 1 ? stats.count / (stats.count - 1) : 1;
      tf.tidy(() => {
        runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(stats.mean, momentum)));
        runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(stats.variance, momentum * unbias)));
      });
    }
  } finally {
    for (const stats of collected.values()) {
      stats.mean.dispose();
      stats.variance.dispose();
    }
    collected.clear();
  }
}
