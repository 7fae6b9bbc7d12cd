import type { Demonstrations } from '../data/loadDemonstrations.js';
import type { GaussianPolicy } from '../model/GaussianPolicy.js';
import { permutation, type Rng } from '../model/random.js';
import { tf } from '../tf/backend.js';
import { TrainError } from '../TrainError.js';

/** Options for {@link fitBehaviourCloning}. */
export interface BehaviourCloningOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly rng: Rng;
  /** First epoch to run (a resumed run continues after its checkpoint). */
  readonly startEpoch?: number;
  /** Called after each epoch with its mean loss; a checkpoint is written here. */
  readonly onEpoch?: (epoch: number, loss: number) => Promise<void> | void;
}

/**
 * Supervised regression of the policy mean onto demonstrated actions (mean squared error in the
 * normalised action space, Adam; each member of an ensemble policy on its own). The caller fits
 * the observation normaliser beforehand.
 *
 * @throws {TrainError} `TRAIN_NAN_LOSS` at the first epoch whose loss is not finite; weights of
 *   that epoch must not be checkpointed.
 */
export async function fitBehaviourCloning(
  policy: GaussianPolicy,
  data: Demonstrations,
  options: BehaviourCloningOptions,
): Promise<number[]> {
  const { observationSize, actionSize } = policy.architecture;
  const targets = policy.toNormalized(data.actions);
  const optimizer = tf.train.adam(options.learningRate);
  const variables = policy.variables(false);
  const batchSize = Math.min(options.batchSize, data.frames);
  // Ensemble members draw their own minibatches (a permutation each), so they differ in more
  // than their initial weights.
  const members = policy.mlp.members;
  const rows = batchSize * members;
  const obsBatch = new Float32Array(rows * observationSize);
  const actBatch = new Float32Array(rows * actionSize);
  const losses: number[] = [];
  try {
    for (let epoch = options.startEpoch ?? 0; epoch < options.epochs; epoch++) {
      const orders = Array.from({ length: members }, () => permutation(data.frames, options.rng));
      let total = 0;
      let batches = 0;
      for (let start = 0; start + batchSize <= data.frames; start += batchSize) {
        for (let r = 0; r < rows; r++) {
          const order = orders[Math.floor(r / batchSize)] as Uint32Array;
          const row = order[start + (r % batchSize)] as number;
          obsBatch.set(
            data.observations.subarray(row * observationSize, (row + 1) * observationSize),
            r * observationSize,
          );
          actBatch.set(targets.subarray(row * actionSize, (row + 1) * actionSize), r * actionSize);
        }
        total += tf.tidy(() => {
          const x = tf.tensor2d(obsBatch, [rows, observationSize]);
          const y = tf.tensor2d(actBatch, [rows, actionSize]);
          const loss = optimizer.minimize(() => policy.imitationLoss(x, y), true, variables);
          return loss === null ? Number.NaN : (loss.dataSync()[0] as number);
        });
        batches += 1;
      }
      const mean = total / batches;
      if (!Number.isFinite(mean)) {
        throw new TrainError(
          'TRAIN_NAN_LOSS',
          `behaviour cloning loss became ${mean} in epoch ${epoch}; lower training.learningRate`,
        );
      }
      losses.push(mean);
      await options.onEpoch?.(epoch, mean);
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}
