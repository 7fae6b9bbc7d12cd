import { z } from 'zod';

const positiveInt = z.int().min(1);

/** Network sizes and non-linearity. */
export const networkConfigSchema = z.strictObject({
  /** Hidden layer widths of the policy (and of the PPO value function). */
  hidden: z.array(positiveInt).min(1).default([128, 128]),
  activation: z.enum(['tanh', 'relu']).default('tanh'),
  /**
   * Policy networks of these sizes, initialised apart and cloned each on its own, whose mean is
   * the action (1: a single network). Averaging members cuts the errors any one of them makes in
   * states the demonstrations cover thinly; training and inference cost grow with the count.
   */
  ensemble: z.int().min(1).max(8).default(1),
});

/** Where demonstrations come from; LeRobot datasets from the lake will join as another source. */
export const datasetConfigSchema = z.discriminatedUnion('source', [
  z.strictObject({
    /** Scripted-expert demonstrations recorded in the simulator. */
    source: z.literal('sim-expert'),
    suite: z.string().default('nav-v1/train'),
    episodes: positiveInt.default(100),
    firstEpisode: z.int().min(0).default(0),
    /**
     * Noise on the executed command while the clean expert command is recorded (DART);
     * `correlation` is the AR(1) coefficient per 50 ms step (0: independent noise every step).
     */
    noise: z
      .strictObject({
        linear: z.number().min(0),
        angular: z.number().min(0),
        seed: z.int().default(0),
        correlation: z.number().min(0).lt(1).default(0),
      })
      .optional(),
  }),
]);

export const bcConfigSchema = z.strictObject({
  epochs: positiveInt.default(40),
  batchSize: positiveInt.default(256),
  learningRate: z.number().positive().default(1e-3),
  /** Add the left–right mirror image of every frame (the nav robot and scan are symmetric). */
  mirror: z.boolean().default(true),
});

export const daggerConfigSchema = z.strictObject({
  /** Aggregation rounds after the initial behaviour cloning. */
  rounds: positiveInt.default(3),
  /** Learner episodes rolled out and labelled per round. */
  episodesPerRound: positiveInt.default(30),
  /** Epochs of training on the aggregated data after each round. */
  epochsPerRound: positiveInt.default(10),
  /** Probability of executing the expert's action in round r is `beta^r` (0: always the learner's). */
  beta: z.number().min(0).max(1).default(0.5),
  /**
   * Who labels: `expert` labels every state the learner visits; `operator` records only the
   * takeovers of the simulator's operator model (interventions, as from a fleet operator).
   */
  labeller: z.enum(['expert', 'operator']).default('expert'),
  /** Run directory of a finished BC run to start from; without it, DAgger starts with its own BC. */
  initFrom: z.string().optional(),
});

/** Reward shaping of the PPO environments (see `NavRewardOptions` in the sim package). */
export const ppoRewardSchema = z.strictObject({
  /** Progress on the straight line to the goal (`euclidean`) or on the shortest free path (`geodesic`). */
  progress: z.enum(['euclidean', 'geodesic']).default('euclidean'),
  /** Reward per metre travelled (negative: favour short paths). */
  travel: z.number().max(0).default(0),
  /** Reward per step per metre of clearance below `clearanceMargin` (negative: keep off obstacles). */
  clearance: z.number().max(0).default(0),
  clearanceMargin: z.number().positive().default(0.1),
});

export const ppoConfigSchema = z.strictObject({
  /** Run directory of a BC/DAgger run to fine-tune; without it PPO trains from scratch. */
  initFrom: z.string().optional(),
  suite: z.string().default('nav-v1/train'),
  iterations: positiveInt.default(60),
  numEnvs: positiveInt.default(16),
  rolloutSteps: positiveInt.default(128),
  epochs: positiveInt.default(4),
  minibatchSize: positiveInt.default(512),
  learningRate: z.number().positive().default(3e-4),
  /** Learning rate of the value function; default: `learningRate`. */
  valueLearningRate: z.number().positive().optional(),
  gamma: z.number().min(0).max(1).default(0.99),
  lambda: z.number().min(0).max(1).default(0.95),
  clipRatio: z.number().positive().default(0.2),
  valueCoef: z.number().min(0).default(0.5),
  entropyCoef: z.number().min(0).default(0),
  maxGradNorm: z.number().positive().default(0.5),
  targetKl: z.number().positive().nullable().default(0.02),
  /** Iterations that train only the value function first (useful when fine-tuning). */
  criticWarmupIterations: z.int().min(0).default(0),
  /** Initial log standard deviation of the exploration noise (normalised action units). */
  initLogStd: z.number().default(-0.5),
  /** Update the observation normaliser from rollouts; default: only when training from scratch. */
  updateNormalizer: z.boolean().optional(),
  /**
   * Weight of a behaviour-cloning loss on the configured demonstrations beside the PPO loss
   * (0: none). Keeps a fine-tuned policy close to the expert where rewards are sparse.
   */
  bcCoef: z.number().min(0).default(0),
  /**
   * Weight of a distillation loss toward the simulator's scripted expert on the states PPO's own
   * rollouts visit (kickstarting; 0: none). Unlike `bcCoef`, whose demonstrations cover only the
   * expert's own paths, it corrects the policy where it has drifted off them, e.g. after it
   * turned the wrong way round an obstacle.
   */
  expertCoef: z.number().min(0).default(0),
  /** Evaluate on the evaluation suite every this many iterations (0: only at the end). */
  evaluateEvery: z.int().min(0).default(0),
  reward: ppoRewardSchema.prefault({}),
});

export const evaluationConfigSchema = z.strictObject({
  suite: z.string().default('nav-v1/test'),
  /** Episodes of the suite to run (default: all). */
  episodes: positiveInt.optional(),
});

export const exportConfigSchema = z.strictObject({
  /** Policy name in `policy.yaml`. */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .default('nav-policy'),
  robotType: z.string().min(1).default('fleetloop-diffdrive'),
  description: z.string().optional(),
  /** ONNX Runtime vs TF.js tolerance on 1,000 random observations. */
  tolerance: z.number().positive().default(1e-5),
});

export const trackingConfigSchema = z.discriminatedUnion('backend', [
  z.strictObject({
    backend: z.literal('builtin'),
    /** Folder of the run store (default `<outputDir>/../tracking`). */
    dir: z.string().optional(),
  }),
  z.strictObject({
    backend: z.literal('mlflow'),
    /** Tracking server or AzureML workspace MLflow URI. */
    url: z.url(),
    /** Bearer token; prefer the environment variable FLEETLOOP_TRACKING__TOKEN. */
    token: z.string().optional(),
  }),
]);

/** `train.yaml`: one training run. */
export const trainConfigSchema = z.strictObject({
  algorithm: z.enum(['bc', 'dagger', 'ppo']),
  /** Experiment the run is tracked under. */
  experiment: z.string().min(1).default('nav'),
  runName: z.string().min(1).optional(),
  /** Run directory: checkpoints, metrics, learning curve and the exported policy package. */
  outputDir: z.string().min(1),
  seed: z.int().default(1),
  network: networkConfigSchema.prefault({}),
  dataset: datasetConfigSchema.default({
    source: 'sim-expert',
    suite: 'nav-v1/train',
    episodes: 100,
    firstEpisode: 0,
  }),
  bc: bcConfigSchema.prefault({}),
  dagger: daggerConfigSchema.prefault({}),
  ppo: ppoConfigSchema.prefault({}),
  evaluation: evaluationConfigSchema.prefault({}),
  export: exportConfigSchema.prefault({}),
  tracking: trackingConfigSchema.default({ backend: 'builtin' }),
  tensorflow: z
    .strictObject({
      backend: z.enum(['wasm', 'cpu']).default('wasm'),
      threads: z.int().min(1).max(4).default(1),
    })
    .prefault({}),
  progress: z.enum(['auto', 'bar', 'json']).default('auto'),
});

/** A validated training configuration. */
export type TrainConfig = z.output<typeof trainConfigSchema>;
/** A training configuration as written (defaults optional). */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
