import { NAV_ACTION_LAYOUT, NAV_ACTION_SIZE, NAV_OBSERVATION_SIZE } from '@fleetloop/sim';
import type { TrainConfig } from '../config/trainConfig.js';
import type { DatasetReader } from '../data/DatasetReader.js';
import type { Demonstrations } from '../data/loadDemonstrations.js';
import { mirrorNavDemonstrations } from '../data/mirrorNavDemonstrations.js';
import type { GaussianPolicy, PolicyArchitecture } from '../model/GaussianPolicy.js';
import type { Rng } from '../model/random.js';
import type { ProgressReporter } from '../progress/ProgressReporter.js';
import type { TrackedRun } from '../tracking/RunTracker.js';
import type { Checkpoint, RunDirectory } from './RunDirectory.js';

/** What a training stage (BC, DAgger, PPO) gets from the run around it. */
export interface StageContext {
  readonly config: TrainConfig;
  readonly reader: DatasetReader;
  readonly runDir: RunDirectory;
  readonly run: TrackedRun;
  readonly checkpoint: Checkpoint | undefined;
  readonly parent: Checkpoint | undefined;
  readonly rng: Rng;
  readonly progress: ProgressReporter;
  readonly log: (step: number, metrics: Record<string, number>) => Promise<void>;
}

/** The trained policy of a stage and how it got there. */
export interface StageResult {
  readonly policy: GaussianPolicy;
  readonly losses: number[];
  readonly lastStep: number;
  readonly dataset?: { version: string; episodes: number; frames: number };
}

/**
 * Runs one training job from a validated `train.yaml`: BC, DAgger or PPO, with a checkpoint after
 * every epoch/round/iteration, evaluation on the configured suite, export of the policy package
 * (ONNX checked against ONNX Runtime), a learning-curve SVG, and tracking of params, metrics,
 * artifacts and lineage. Pointed at the directory of an interrupted run, it resumes from the last
 * checkpoint into the same tracked run. A non-finite loss marks the run FAILED at that step and
 * keeps the last good checkpoint.
 */
/** The nav policy's architecture with the configured network. */
export function architecture(config: TrainConfig): PolicyArchitecture {
  return {
    observationSize: NAV_OBSERVATION_SIZE,
    actionSize: NAV_ACTION_SIZE,
    hidden: config.network.hidden,
    activation: config.network.activation,
    ...(config.network.ensemble > 1 ? { ensembleMembers: config.network.ensemble } : {}),
    actionLow: NAV_ACTION_LAYOUT.slices.map((s) => s.min),
    actionHigh: NAV_ACTION_LAYOUT.slices.map((s) => s.max),
  };
}

/** Demonstrations with the configured augmentation (left–right mirror). */
export function augment(config: TrainConfig, data: Demonstrations): Demonstrations {
  return config.bc.mirror ? mirrorNavDemonstrations(data) : data;
}
