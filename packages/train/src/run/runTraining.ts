import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@fleetloop/core';
import { NAV_REWARD, type EpisodeMetrics, type EvaluationAggregate } from '@fleetloop/sim';
import type { TrainConfig } from '../config/trainConfig.js';
import type { DatasetReader } from '../data/DatasetReader.js';
import { SimDemonstrationReader } from '../data/SimDemonstrationReader.js';
import { exportPolicyPackage } from '../export/exportPolicyPackage.js';
import { seededRng } from '../model/random.js';
import { learningCurveSvg } from '../progress/learningCurveSvg.js';
import { ProgressReporter } from '../progress/ProgressReporter.js';
import { initTensorflow } from '../tf/backend.js';
import { BuiltinRunStore } from '../tracking/BuiltinRunStore.js';
import { gitCommit } from '../tracking/gitCommit.js';
import { MlflowTracker } from '../tracking/MlflowTracker.js';
import type { RunLineage, RunTracker, TrackedRun } from '../tracking/RunTracker.js';
import { TrainError } from '../TrainError.js';
import { evaluateOnSuite, evaluationMetrics } from './evaluateOnSuite.js';
import { trainBcStage, trainDaggerStage } from './imitationStages.js';
import { trainPpoStage } from './ppoStage.js';
import { RunDirectory, type Checkpoint } from './RunDirectory.js';
import type { StageContext, StageResult } from './stage.js';

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
  /** Per-episode metrics of that evaluation (paired comparisons between runs). */
  readonly evaluationEpisodes: readonly EpisodeMetrics[];
  readonly onnxMaxAbsError: number;
  readonly minutes: number;
  /** Whether the run continued from a checkpoint of an earlier, interrupted attempt. */
  readonly resumed: boolean;
  /** Per-step training loss (BC epochs, DAgger epochs) or PPO policy loss. */
  readonly losses: readonly number[];
}

/** Name of the exported policy package folder inside the run directory. */
export const PACKAGE_DIR = 'policy';

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

    const report = await evaluateOnSuite(
      stage.policy.snapshot(),
      config.evaluation.suite,
      config.evaluation.episodes,
    );
    const evaluation = report.aggregate;
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
        reward: config.algorithm === 'ppo' ? describeReward(config.ppo.reward) : undefined,
        imitation: config.algorithm === 'ppo' ? describeImitation(config.ppo) : undefined,
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
      evaluationEpisodes: report.episodes,
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

function demonstrationReader(config: TrainConfig): SimDemonstrationReader {
  const d = config.dataset;
  return new SimDemonstrationReader({
    suite: d.suite,
    episodes: d.episodes,
    firstEpisode: d.firstEpisode,
    ...(d.noise === undefined ? {} : { noise: d.noise }),
  });
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

/** PPO's imitation terms as a model card states them; undefined when there are none. */
function describeImitation(ppo: TrainConfig['ppo']): string | undefined {
  const terms: string[] = [];
  if (ppo.bcCoef > 0) terms.push(`behaviour cloning on the dataset's demonstrations (weight ${ppo.bcCoef})`);
  if (ppo.expertCoef > 0) {
    terms.push(
      `distillation toward the simulator's scripted expert on the states of its own rollouts (weight ${ppo.expertCoef})`,
    );
  }
  return terms.length === 0 ? undefined : terms.join('; ');
}

/** The PPO reward as a model card states it. */
function describeReward(reward: TrainConfig['ppo']['reward']): string {
  const terms = [
    `${NAV_REWARD.progress} per metre of progress toward the goal on the ` +
      `${reward.progress === 'geodesic' ? 'shortest free path' : 'straight line'}`,
    `${NAV_REWARD.step} per step, ${NAV_REWARD.success} on arrival, ${NAV_REWARD.collision} on collision`,
  ];
  if (reward.travel !== 0) terms.push(`${reward.travel} per metre travelled`);
  if (reward.clearance !== 0) {
    terms.push(`${reward.clearance} per step per metre of clearance below ${reward.clearanceMargin} m`);
  }
  return terms.join('; ');
}
