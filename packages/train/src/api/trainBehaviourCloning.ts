import path from 'node:path';
import type { Logger } from '@fleetloop/core';
import { readPolicyPackage } from '@fleetloop/registry';
import { trainConfigSchema, type TrainConfigInput } from '../config/trainConfig.js';
import type { ProgressReporter } from '../progress/ProgressReporter.js';
import { RunDirectory } from '../run/RunDirectory.js';
import { PACKAGE_DIR, runTraining } from '../run/runTraining.js';
import type { RunTracker } from '../tracking/RunTracker.js';

/**
 * The small behaviour-cloning configuration `fleetloop up` trains on first start: 40 expert
 * episodes (recorded under command noise, mirrored), a 64×64 tanh MLP, 25 epochs, evaluated on
 * 50 `nav-v1/test` episodes. About two
 * minutes on a two-core machine; success is lower than the full 100-episode configuration.
 */
export const QUICK_BC_CONFIG = {
  algorithm: 'bc',
  experiment: 'quickstart',
  runName: 'quickstart-bc',
  network: { hidden: [64, 64], activation: 'tanh' },
  dataset: {
    source: 'sim-expert',
    suite: 'nav-v1/train',
    episodes: 40,
    firstEpisode: 0,
    noise: { linear: 0.2, angular: 0.8, seed: 0 },
  },
  bc: { epochs: 25, batchSize: 256, learningRate: 2e-3 },
  evaluation: { suite: 'nav-v1/test', episodes: 50 },
  export: { name: 'nav-quickstart-bc', description: 'Quick-start navigation policy (behaviour cloning)' },
} as const satisfies Omit<TrainConfigInput, 'outputDir'>;

/** Options for {@link trainBehaviourCloning}. */
export interface TrainBehaviourCloningOptions {
  /** Run directory; a finished run there is reused instead of training again. */
  readonly outputDir: string;
  /** Overrides of {@link QUICK_BC_CONFIG} (episodes, epochs, network, …). */
  readonly config?: Partial<Omit<TrainConfigInput, 'outputDir' | 'algorithm'>>;
  readonly tracker?: RunTracker;
  readonly progress?: ProgressReporter;
  readonly logger?: Logger;
}

/** A behaviour-cloning policy ready to load. */
export interface BehaviourCloningPolicy {
  /** Policy package directory (`policy.onnx`, `policy.yaml`, `card.md`, `digests`). */
  readonly packageDir: string;
  readonly runId: string;
  /** True when an earlier finished run was reused. */
  readonly cached: boolean;
  /** Success rate on the evaluation episodes, from the contract's metrics. */
  readonly successRate: number;
}

/**
 * Trains a behaviour-cloning policy from scripted-expert demonstrations with a small, fast
 * configuration, or returns the one already in `outputDir`. An interrupted earlier attempt resumes
 * from its last checkpoint.
 *
 * @example
 * const { packageDir } = await trainBehaviourCloning({ outputDir: '.fleetloop/policies/quickstart' });
 */
export async function trainBehaviourCloning(
  options: TrainBehaviourCloningOptions,
): Promise<BehaviourCloningPolicy> {
  const outputDir = path.resolve(options.outputDir);
  const record = await new RunDirectory(outputDir).readRecord();
  const packageDir = path.join(outputDir, PACKAGE_DIR);
  if (record?.status === 'finished') {
    const pkg = await readPolicyPackage(packageDir);
    return {
      packageDir,
      runId: record.runId,
      cached: true,
      successRate: pkg.contract.metrics?.successRate ?? Number.NaN,
    };
  }
  const config = trainConfigSchema.parse({
    ...QUICK_BC_CONFIG,
    ...options.config,
    algorithm: 'bc',
    outputDir,
  });
  const result = await runTraining(config, {
    ...(options.tracker === undefined ? {} : { tracker: options.tracker }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return {
    packageDir: result.packageDir,
    runId: result.runId,
    cached: false,
    successRate: result.evaluation.successRate,
  };
}
