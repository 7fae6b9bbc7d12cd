import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@fleetloop/core';
import {
  NAV_ACTION_LAYOUT,
  NAV_ACTION_SIZE,
  NAV_OBSERVATION_SIZE,
  VectorNavEnv,
  type EvaluationAggregate,
} from '@fleetloop/sim';
import { fitBehaviourCloning } from '../algo/behaviourCloning.js';
import { collectDaggerFrames } from '../algo/collectDaggerFrames.js';
import { trainPpo, type PpoDemonstrations, type PpoState } from '../algo/ppo.js';
import type { TrainConfig } from '../config/trainConfig.js';
import type { DatasetReader } from '../data/DatasetReader.js';
import { concat, loadDemonstrations, type Demonstrations } from '../data/loadDemonstrations.js';
import { mirrorNavDemonstrations } from '../data/mirrorNavDemonstrations.js';
import { SimDemonstrationReader } from '../data/SimDemonstrationReader.js';
import { exportPolicyPackage } from '../export/exportPolicyPackage.js';
import { compilePolicy } from '../model/compilePolicy.js';
import {
  GaussianPolicy,
  deserializeLayer,
  serializeLayer,
  type PolicyArchitecture,
} from '../model/GaussianPolicy.js';
import { Mlp } from '../model/Mlp.js';
import { seededRng, type Rng } from '../model/random.js';
import { learningCurveSvg } from '../progress/learningCurveSvg.js';
import { ProgressReporter } from '../progress/ProgressReporter.js';
import { initTensorflow, tf } from '../tf/backend.js';
import { BuiltinRunStore } from '../tracking/BuiltinRunStore.js';
import { gitCommit } from '../tracking/gitCommit.js';
import { MlflowTracker } from '../tracking/MlflowTracker.js';
import type { RunLineage, RunTracker, TrackedRun } from '../tracking/RunTracker.js';
import { TrainError } from '../TrainError.js';
import { evaluateOnSuite, evaluationMetrics } from './evaluateOnSuite.js';
import { RunDirectory, type Checkpoint } from './RunDirectory.js';

/** Options for {@link runTraining}. */
export interface RunTrainingOptions {
  /** Tracking backend to use instead of the one the configuration names (tests, embedding). */
  readonly tracker?: RunTracker;
  readonly progress?: ProgressReporter;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Demonstrations to use instead of the configured dataset source (a LeRobot dataset reader, tests). */
  readonly reader?: DatasetReader;
}

/** Outcome of a finished run. */
export interface TrainingResult {
  readonly runId: string;
  readonly algorithm: TrainConfig['algorithm'];
  readonly runDir: string;
  /** The exported policy package (`policy.onnx`, `policy.yaml`, `card.md`, `digests`). */
  readonly packageDir: string;
  readonly evaluation: EvaluationAggregate;
  readonly onnxMaxAbsError: number;
  readonly minutes: number;
  /** Whether the run continued from a checkpoint of an earlier, interrupted attempt. */
  readonly resumed: boolean;
  /** Per-step training loss (BC epochs, DAgger epochs) or PPO policy loss. */
  readonly losses: readonly number[];
}

/** Name of the exported policy package folder inside the run directory. */
export const PACKAGE_DIR = 'policy';

interface StageContext {
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

interface StageResult {
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
export async function runTraining(
  config: TrainConfig,
  options: RunTrainingOptions = {},
): Promise<TrainingResult> {
  const now = options.now ?? Date.now;
  const started = now();
  await initTensorflow(config.tensorflow);
  const outputDir = path.resolve(config.outputDir);
  const runDir = new RunDirectory(outputDir);
  const tracker = options.tracker ?? createTracker(config, outputDir);
  const progress =
    options.progress ?? new ProgressReporter(config.progress === 'auto' ? {} : { format: config.progress });
  try {
    const record = await runDir.readRecord();
    if (record?.status === 'finished') {
      throw new TrainError(
        'TRAIN_RUN_EXISTS',
        `${outputDir} already holds finished run ${record.runId}; set outputDir to a new folder`,
      );
    }
    const parentDir =
      config.algorithm === 'ppo'
        ? config.ppo.initFrom
        : config.algorithm === 'dagger'
          ? config.dagger.initFrom
          : undefined;
    const parent = parentDir === undefined ? undefined : await readParent(path.resolve(parentDir));
    const codeVersion = await gitCommit();
    const reader = options.reader ?? demonstrationReader(config);
    const lineage: RunLineage = {
      ...(config.algorithm !== 'ppo' || config.ppo.bcCoef > 0 ? { datasetVersion: reader.version } : {}),
      ...(parent === undefined ? {} : { parentRunId: parent.runId }),
      ...(codeVersion === undefined ? {} : { codeVersion }),
    };
    let run: TrackedRun;
    let checkpoint: Checkpoint | undefined;
    if (record !== undefined) {
      run = await tracker.resumeRun(record.runId);
      checkpoint = await runDir.latestCheckpoint();
      options.logger?.info(
        { runId: run.id, step: checkpoint?.step },
        'resuming run from its last checkpoint',
      );
    } else {
      run = await tracker.startRun({
        experiment: config.experiment,
        name: config.runName ?? `${config.algorithm}-${new Date(now()).toISOString()}`,
        lineage,
        tags: { 'fleetloop.algorithm': config.algorithm },
      });
      await runDir.writeRecord({
        runId: run.id,
        tracker: tracker.kind,
        status: 'running',
        algorithm: config.algorithm,
      });
      await run.logParams(flattenParams(config));
    }
    const log = async (step: number, metrics: Record<string, number>): Promise<void> => {
      await run.logMetrics(
        Object.entries(metrics).map(([key, value]) => ({ key, value, step, timestamp: now() })),
      );
      await runDir.appendMetrics(step, metrics);
    };
    const ctx: StageContext = {
      config,
      reader,
      runDir,
      run,
      checkpoint,
      parent: parent?.checkpoint,
      rng: seededRng(config.seed + (checkpoint?.step ?? 0) * 7919),
      progress,
      log,
    };
    let stage: StageResult;
    try {
      stage =
        config.algorithm === 'bc'
          ? await trainBcStage(ctx)
          : config.algorithm === 'dagger'
            ? await trainDaggerStage(ctx)
            : await trainPpoStage(ctx);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await run.setTags({ 'fleetloop.failure': reason.slice(0, 4000) });
      await run.finish('FAILED');
      await runDir.writeRecord({
        runId: run.id,
        tracker: tracker.kind,
        status: 'failed',
        algorithm: config.algorithm,
        failure: reason,
      });
      throw error;
    }

    const evaluation = await evaluateOnSuite(
      stage.policy.snapshot(),
      config.evaluation.suite,
      config.evaluation.episodes,
    );
    const evalMetrics = evaluationMetrics(evaluation);
    await log(stage.lastStep, evalMetrics);
    const minutes = (now() - started) / 60_000;
    const packageDir = path.join(outputDir, PACKAGE_DIR);
    const exported = await exportPolicyPackage({
      dir: packageDir,
      policy: stage.policy,
      tolerance: config.export.tolerance,
      rng: seededRng(config.seed + 1),
      contract: {
        name: config.export.name,
        robotType: config.export.robotType,
        description: config.export.description,
        training: {
          runId: run.id,
          algorithm: config.algorithm,
          datasetVersion: lineage.datasetVersion,
          parentRunId: lineage.parentRunId,
          codeVersion: lineage.codeVersion,
        },
        metrics: {
          successRate: evaluation.successRate,
          collisionRate: evaluation.collisionRate,
          pathLengthRatio: evaluation.meanPathLengthRatio,
          timeToGoalS: evaluation.meanTimeToGoal,
        },
      },
      card: {
        dataset: stage.dataset,
        parentRunId: lineage.parentRunId,
        codeVersion: lineage.codeVersion,
        evaluationSuite: config.evaluation.suite,
        metrics: evalMetrics,
        trainingMinutes: minutes,
      },
    });
    await run.logMetrics([
      { key: 'export/onnx_max_abs_error', value: exported.check.maxAbsError, step: stage.lastStep },
    ]);
    for (const file of exported.package.files) {
      await run.logArtifact(`${PACKAGE_DIR}/${file.path}`, await readFile(path.join(packageDir, file.path)));
    }
    const svg = learningCurveSvg(
      `${config.algorithm} run ${run.id}`,
      curveSeries(await runDir.readMetrics()),
    );
    await writeFile(path.join(outputDir, 'learning-curve.svg'), svg);
    await run.logArtifact('learning-curve.svg', svg);
    await run.finish('FINISHED');
    await runDir.writeRecord({
      runId: run.id,
      tracker: tracker.kind,
      status: 'finished',
      algorithm: config.algorithm,
    });
    stage.policy.dispose();
    return {
      runId: run.id,
      algorithm: config.algorithm,
      runDir: outputDir,
      packageDir,
      evaluation,
      onnxMaxAbsError: exported.check.maxAbsError,
      minutes,
      resumed: record !== undefined,
      losses: stage.losses,
    };
  } finally {
    if (options.tracker === undefined) await tracker.close();
  }
}

/** The configured tracking backend. */
export function createTracker(config: TrainConfig, outputDir: string): RunTracker {
  const t = config.tracking;
  switch (t.backend) {
    case 'builtin':
      return new BuiltinRunStore({
        root: path.resolve(t.dir ?? path.join(path.dirname(outputDir), 'tracking')),
      });
    case 'mlflow':
      return new MlflowTracker({ url: t.url, ...(t.token === undefined ? {} : { token: t.token }) });
  }
}

function architecture(config: TrainConfig): PolicyArchitecture {
  return {
    observationSize: NAV_OBSERVATION_SIZE,
    actionSize: NAV_ACTION_SIZE,
    hidden: config.network.hidden,
    activation: config.network.activation,
    actionLow: NAV_ACTION_LAYOUT.slices.map((s) => s.min),
    actionHigh: NAV_ACTION_LAYOUT.slices.map((s) => s.max),
  };
}

function demonstrationReader(config: TrainConfig): SimDemonstrationReader {
  const d = config.dataset;
  return new SimDemonstrationReader({
    suite: d.suite,
    episodes: d.episodes,
    firstEpisode: d.firstEpisode,
    ...(d.noise === undefined ? {} : { noise: d.noise }),
  });
}

async function trainBcStage(ctx: StageContext): Promise<StageResult> {
  const { config } = ctx;
  const reader = ctx.reader;
  const recorded = await loadDemonstrations(reader, {
    observationSize: NAV_OBSERVATION_SIZE,
    actionSize: NAV_ACTION_SIZE,
  });
  const data = augment(config, recorded);
  const policy = new GaussianPolicy(architecture(config), { rng: ctx.rng });
  if (ctx.checkpoint !== undefined) policy.load(ctx.checkpoint.policy);
  else fitNormalizer(policy, data);
  const losses = await cloneEpochs(
    ctx,
    policy,
    data,
    'bc',
    config.bc.epochs,
    ctx.checkpoint === undefined ? 0 : ctx.checkpoint.step + 1,
  );
  return {
    policy,
    losses,
    lastStep: config.bc.epochs - 1,
    dataset: { version: reader.version, episodes: recorded.episodes, frames: recorded.frames },
  };
}

function augment(config: TrainConfig, data: Demonstrations): Demonstrations {
  return config.bc.mirror ? mirrorNavDemonstrations(data) : data;
}

async function cloneEpochs(
  ctx: StageContext,
  policy: GaussianPolicy,
  data: Demonstrations,
  stage: 'bc' | 'dagger',
  epochs: number,
  startEpoch: number,
  stepOffset = 0,
): Promise<number[]> {
  const { config } = ctx;
  ctx.progress.begin(stage, epochs);
  const losses = await fitBehaviourCloning(policy, data, {
    epochs,
    startEpoch,
    batchSize: config.bc.batchSize,
    learningRate: config.bc.learningRate,
    rng: ctx.rng,
    onEpoch: async (epoch, loss) => {
      await ctx.log(stepOffset + epoch, { 'train/loss': loss });
      // DAgger checkpoints once per round (with its aggregated data), BC after every epoch.
      if (stage === 'bc') await ctx.runDir.saveCheckpoint({ stage, step: epoch, policy: policy.snapshot() });
      ctx.progress.update(epoch + 1, { loss });
    },
  });
  ctx.progress.end();
  return losses;
}

function fitNormalizer(policy: GaussianPolicy, data: Demonstrations): void {
  policy.normalizer.update(data.observations);
  policy.syncNormalizer();
}

const DAGGER_OBS = 'dagger-observations.f32';
const DAGGER_ACT = 'dagger-actions.f32';

async function trainDaggerStage(ctx: StageContext): Promise<StageResult> {
  const { config } = ctx;
  const d = config.dagger;
  const reader = ctx.reader;
  const recorded = await loadDemonstrations(reader, {
    observationSize: NAV_OBSERVATION_SIZE,
    actionSize: NAV_ACTION_SIZE,
  });
  const demos = augment(config, recorded);
  const policy = new GaussianPolicy(architecture(config), { rng: ctx.rng });
  let data = demos;
  let firstRound = 1;
  const losses: number[] = [];
  const roundStep = (round: number): number => round * d.epochsPerRound + config.bc.epochs;
  const saveAggregate = async (): Promise<Record<string, unknown>> => {
    const extraObs = data.observations.subarray(demos.observations.length);
    const extraAct = data.actions.subarray(demos.actions.length);
    await writeFile(
      path.join(ctx.runDir.dir, DAGGER_OBS),
      Buffer.from(extraObs.buffer, extraObs.byteOffset, extraObs.byteLength),
    );
    await writeFile(
      path.join(ctx.runDir.dir, DAGGER_ACT),
      Buffer.from(extraAct.buffer, extraAct.byteOffset, extraAct.byteLength),
    );
    return { frames: data.frames };
  };
  if (ctx.checkpoint !== undefined) {
    policy.load(ctx.checkpoint.policy);
    const extraObs = await readFloats(path.join(ctx.runDir.dir, DAGGER_OBS));
    const extraAct = await readFloats(path.join(ctx.runDir.dir, DAGGER_ACT));
    data = join(demos, extraObs, extraAct);
    firstRound = ctx.checkpoint.step + 1;
  } else if (ctx.parent !== undefined) {
    policy.load(ctx.parent.policy);
  } else {
    fitNormalizer(policy, demos);
    losses.push(...(await cloneEpochs(ctx, policy, demos, 'dagger', config.bc.epochs, 0, 0)));
    await ctx.runDir.saveCheckpoint({
      stage: 'dagger',
      step: 0,
      policy: policy.snapshot(),
      extra: await saveAggregate(),
    });
  }
  const nextEpisode = config.dataset.firstEpisode + config.dataset.episodes;
  for (let round = firstRound; round <= d.rounds; round++) {
    const episodes = Array.from(
      { length: d.episodesPerRound },
      (_, i) => nextEpisode + (round - 1) * d.episodesPerRound + i,
    );
    const collected = await collectDaggerFrames({
      learner: compilePolicy(policy.snapshot()),
      suite: config.dataset.suite,
      episodes,
      labeller: d.labeller,
      beta: d.beta ** round,
      rng: ctx.rng,
    });
    const labelled = augment(config, collected);
    data = join(data, labelled.observations, labelled.actions);
    await ctx.log(roundStep(round - 1), {
      'dagger/round': round,
      'dagger/rollout_success_rate': collected.successRate,
      'dagger/frames': data.frames,
    });
    losses.push(
      ...(await cloneEpochs(ctx, policy, data, 'dagger', d.epochsPerRound, 0, roundStep(round - 1))),
    );
    await ctx.runDir.saveCheckpoint({
      stage: 'dagger',
      step: round,
      policy: policy.snapshot(),
      extra: await saveAggregate(),
    });
  }
  return {
    policy,
    losses,
    lastStep: roundStep(d.rounds),
    dataset: {
      version: `${reader.version}+dagger`,
      episodes: recorded.episodes + d.rounds * d.episodesPerRound,
      frames: data.frames,
    },
  };
}

function join(base: Demonstrations, observations: Float32Array, actions: Float32Array): Demonstrations {
  const frames = base.frames + observations.length / NAV_OBSERVATION_SIZE;
  return {
    observations: concat([base.observations, observations], frames * NAV_OBSERVATION_SIZE),
    actions: concat([base.actions, actions], frames * NAV_ACTION_SIZE),
    frames,
    episodes: base.episodes,
  };
}

async function readFloats(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

async function trainPpoStage(ctx: StageContext): Promise<StageResult> {
  const { config } = ctx;
  const p = config.ppo;
  const arch = architecture(config);
  const policy = new GaussianPolicy(arch, { rng: ctx.rng, initLogStd: p.initLogStd });
  const value = new Mlp({
    sizes: [arch.observationSize, ...arch.hidden, 1],
    activation: arch.activation,
    rng: ctx.rng,
    outputGain: 1,
  });
  let resume: PpoState | undefined;
  if (ctx.checkpoint !== undefined) {
    policy.load(ctx.checkpoint.policy);
    if (ctx.checkpoint.value !== undefined) value.setLayers(ctx.checkpoint.value.map(deserializeLayer));
    resume = ctx.checkpoint.extra?.ppo as PpoState | undefined;
  } else if (ctx.parent !== undefined) {
    const parentArch = ctx.parent.policy.architecture;
    if (parentArch.hidden.join(',') !== arch.hidden.join(',') || parentArch.activation !== arch.activation) {
      throw new TrainError(
        'TRAIN_FEATURE_MISMATCH',
        `ppo.initFrom policy has hidden layers [${parentArch.hidden.join(', ')}] ${parentArch.activation}, ` +
          `network has [${arch.hidden.join(', ')}] ${arch.activation}; set network to the parent's sizes`,
      );
    }
    policy.load(ctx.parent.policy);
    tf.tidy(() => policy.logStd.assign(tf.fill([arch.actionSize], p.initLogStd)));
  }
  let demonstrations: PpoDemonstrations | undefined;
  if (p.bcCoef > 0) {
    const demos = augment(
      config,
      await loadDemonstrations(ctx.reader, {
        observationSize: NAV_OBSERVATION_SIZE,
        actionSize: NAV_ACTION_SIZE,
      }),
    );
    demonstrations = {
      observations: demos.observations,
      normalizedActions: policy.toNormalized(demos.actions),
      frames: demos.frames,
    };
  }
  const env = await VectorNavEnv.create(p.numEnvs, { suite: p.suite });
  const losses: number[] = [];
  let lastStep = (resume?.iteration ?? 0) - 1;
  ctx.progress.begin('ppo', p.iterations);
  try {
    await trainPpo({
      policy,
      value,
      env,
      rng: ctx.rng,
      envSeed: config.seed,
      ...(resume === undefined ? {} : { resume }),
      hyper: {
        iterations: p.iterations,
        rolloutSteps: p.rolloutSteps,
        epochs: p.epochs,
        minibatchSize: p.minibatchSize,
        learningRate: p.learningRate,
        gamma: p.gamma,
        lambda: p.lambda,
        clipRatio: p.clipRatio,
        valueCoef: p.valueCoef,
        entropyCoef: p.entropyCoef,
        maxGradNorm: p.maxGradNorm,
        targetKl: p.targetKl,
        criticWarmupIterations: p.criticWarmupIterations,
        updateNormalizer: p.updateNormalizer ?? ctx.parent === undefined,
        bcCoef: p.bcCoef,
      },
      ...(demonstrations === undefined ? {} : { demonstrations }),
      onIteration: async (stats, state) => {
        lastStep = stats.iteration;
        losses.push(stats.policyLoss);
        const metrics: Record<string, number> = {
          'ppo/policy_loss': stats.policyLoss,
          'ppo/value_loss': stats.valueLoss,
          'ppo/entropy': stats.entropy,
          'ppo/approx_kl': stats.approxKl,
          'ppo/clip_fraction': stats.clipFraction,
          'ppo/bc_loss': stats.bcLoss,
          'ppo/env_steps': stats.envSteps,
          'rollout/success_rate': stats.successRate,
          'rollout/collision_rate': stats.collisionRate,
          'rollout/mean_return': stats.meanReturn,
        };
        if (
          p.evaluateEvery > 0 &&
          (stats.iteration + 1) % p.evaluateEvery === 0 &&
          stats.iteration + 1 < p.iterations
        ) {
          Object.assign(
            metrics,
            evaluationMetrics(
              await evaluateOnSuite(policy.snapshot(), config.evaluation.suite, config.evaluation.episodes),
            ),
          );
        }
        await ctx.log(stats.iteration, metrics);
        await ctx.runDir.saveCheckpoint({
          stage: 'ppo',
          step: stats.iteration,
          policy: policy.snapshot(),
          value: value.layers().map(serializeLayer),
          extra: { ppo: state },
        });
        ctx.progress.update(stats.iteration + 1, { success: stats.successRate, kl: stats.approxKl });
      },
    });
  } finally {
    ctx.progress.end();
    env.close();
  }
  value.dispose();
  return { policy, losses, lastStep: Math.max(lastStep, 0) };
}

async function readParent(dir: string): Promise<{ runId: string; checkpoint: Checkpoint }> {
  const parentDir = new RunDirectory(dir);
  const record = await parentDir.readRecord();
  const checkpoint = await parentDir.latestCheckpoint();
  if (record === undefined || checkpoint === undefined) {
    throw new TrainError(
      'TRAIN_CHECKPOINT_INVALID',
      `initFrom ${dir} is not a training run directory with a checkpoint (run.json, checkpoints/latest.json)`,
    );
  }
  return { runId: record.runId, checkpoint };
}

/** The configuration as flat `a.b.c` parameters; the tracking token is never logged. */
export function flattenParams(config: TrainConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, prefix: string): void => {
    if (prefix === 'tracking.token') return;
    if (Array.isArray(value)) out[prefix] = value.map(Number).join(',');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[prefix] = String(value);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, prefix === '' ? k : `${prefix}.${k}`);
    }
  };

  const relevant: Record<string, unknown> = { ...config };
  if (config.algorithm !== 'dagger') delete relevant.dagger;
  if (config.algorithm !== 'ppo') delete relevant.ppo;
  else if (config.ppo.bcCoef === 0) delete relevant.dataset;
  walk(relevant, '');
  return out;
}

function curveSeries(
  lines: readonly { step: number; [key: string]: number }[],
): { name: string; points: [number, number][] }[] {
  const series = new Map<string, [number, number][]>();
  for (const line of lines) {
    for (const [key, value] of Object.entries(line)) {
      if (key === 'step' || typeof value !== 'number') continue;
      const points = series.get(key) ?? [];
      points.push([line.step, value]);
      series.set(key, points);
    }
  }
  const wanted = [
    'train/loss',
    'ppo/policy_loss',
    'ppo/value_loss',
    'rollout/success_rate',
    'dagger/rollout_success_rate',
    'eval/success_rate',
  ];
  return wanted
    .filter((k) => (series.get(k)?.length ?? 0) > 0)
    .map((name) => ({ name, points: series.get(name) ?? [] }));
}
