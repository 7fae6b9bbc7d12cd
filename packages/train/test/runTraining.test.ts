import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPolicyPackage } from '@fleetloop/registry';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMlflowServer } from '../src/testing/FakeMlflowServer.js';
import {
  BuiltinRunStore,
  LINEAGE_TAGS,
  ProgressReporter,
  RunDirectory,
  SimDemonstrationReader,
  TrainError,
  runTraining,
  trainBehaviourCloning,
  trainConfigSchema,
  type DatasetEpisode,
  type DatasetReader,
  type TrainConfigInput,
} from '@fleetloop/train';

let root: string;
let store: BuiltinRunStore;
const quiet = (): ProgressReporter =>
  new ProgressReporter({ stream: { write: () => true } as unknown as NodeJS.WritableStream });

function config(
  name: string,
  overrides: Partial<TrainConfigInput> = {},
): ReturnType<typeof trainConfigSchema.parse> {
  return trainConfigSchema.parse({
    algorithm: 'bc',
    outputDir: path.join(root, name),
    network: { hidden: [32, 32] },
    dataset: { source: 'sim-expert', episodes: 5 },
    bc: { epochs: 6, batchSize: 128, learningRate: 3e-3 },
    evaluation: { suite: 'nav-v1/test', episodes: 2 },
    ...overrides,
  });
}

/** Demonstrations held in memory (e.g. a transformed copy of another reader's episodes). */
class EpisodeListReader implements DatasetReader {
  constructor(
    readonly version: string,
    readonly features: DatasetReader['features'],
    readonly list: readonly DatasetEpisode[],
  ) {}

  async *episodes(): AsyncGenerator<DatasetEpisode> {
    for (const e of this.list) yield await Promise.resolve(e);
  }
}

async function recorded(episodes: number): Promise<DatasetEpisode[]> {
  const out: DatasetEpisode[] = [];
  for await (const e of new SimDemonstrationReader({ episodes }).episodes()) out.push(e);
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'fleetloop-train-'));
  store = new BuiltinRunStore({ root: path.join(root, 'tracking') });
});

afterAll(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

describe('runTraining', () => {
  it('clones 5 expert episodes, exports a package whose ONNX matches TF.js, and tracks the run', async () => {
    const result = await runTraining(config('bc'), { tracker: store, progress: quiet() });
    expect(result.losses.at(-1)).toBeLessThan((result.losses[0] as number) * 0.8);
    expect(result.onnxMaxAbsError).toBeLessThanOrEqual(1e-5);
    const pkg = await readPolicyPackage(result.packageDir);
    expect(pkg.files.map((f) => f.path).sort()).toEqual(['card.md', 'policy.onnx', 'policy.yaml']);
    expect(pkg.contract.training).toMatchObject({ runId: result.runId, algorithm: 'bc' });
    const session = await ort.InferenceSession.create(
      await readFile(path.join(result.packageDir, 'policy.onnx')),
    );
    const out = await session.run({
      observation: new ort.Tensor('float32', new Float32Array(69).fill(1), [1, 69]),
    });
    expect(out.action?.dims).toEqual([1, 2]);
    await session.release();
    const run = store.getRun(result.runId);
    expect(run.status).toBe('FINISHED');
    expect(run.lineage.datasetVersion).toBe('sim-expert:nav-v1/train@0-4');
    expect(run.tags[LINEAGE_TAGS.codeVersion]).toMatch(/^[0-9a-f]{40}$/);
    expect(run.params['bc.epochs']).toBe('6');
    expect(run.metrics.filter((m) => m.key === 'train/loss')).toHaveLength(6);
    expect(run.metrics.some((m) => m.key === 'eval/success_rate')).toBe(true);
    expect(run.artifacts).toEqual(
      expect.arrayContaining(['learning-curve.svg', 'policy/policy.onnx', 'policy/policy.yaml']),
    );
    expect(await readFile(path.join(result.runDir, 'learning-curve.svg'), 'utf8')).toMatch(/<polyline/);
    await expect(runTraining(config('bc'), { tracker: store, progress: quiet() })).rejects.toMatchObject({
      code: 'TRAIN_RUN_EXISTS',
    });
  });

  it('resumes a crashed run from its last checkpoint, and keeps that checkpoint when the loss turns NaN', async () => {
    const episodes = await recorded(3);
    const features = new SimDemonstrationReader({ episodes: 1 }).features;
    const good = new EpisodeListReader('demo@1', features, episodes);
    let updates = 0;
    const crashing = new ProgressReporter({
      stream: {
        write: () => {
          updates += 1;
          if (updates === 2) throw new Error('power cut');
          return true;
        },
      } as unknown as NodeJS.WritableStream,
      format: 'json',
    });
    const cfg = config('resume', { bc: { epochs: 4, batchSize: 64 } });
    await expect(runTraining(cfg, { tracker: store, progress: crashing, reader: good })).rejects.toThrow(
      'power cut',
    );
    const dir = new RunDirectory(cfg.outputDir);
    expect((await dir.latestCheckpoint())?.step).toBe(1);

    const poisoned = new EpisodeListReader(
      'demo@1',
      features,
      episodes.map((e) => ({
        ...e,
        frames: { ...e.frames, action: new Float32Array(e.length * 2).fill(Number.NaN) },
      })),
    );
    const error = await runTraining(cfg, { tracker: store, progress: quiet(), reader: poisoned }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrainError);
    expect((error as TrainError).code).toBe('TRAIN_NAN_LOSS');
    expect((error as TrainError).message).toMatch(/epoch 2/);
    expect((await dir.latestCheckpoint())?.step).toBe(1);
    const record = await dir.readRecord();
    expect(record?.status).toBe('failed');
    const tracked = store.getRun(record?.runId ?? '');
    expect(tracked.status).toBe('FAILED');
    expect(tracked.tags['fleetloop.failure']).toMatch(/epoch 2/);

    const resumed = await runTraining(cfg, { tracker: store, progress: quiet(), reader: good });
    expect(resumed.resumed).toBe(true);
    expect(resumed.runId).toBe(record?.runId);
    expect(resumed.losses).toHaveLength(2);
    expect(store.getRun(resumed.runId).status).toBe('FINISHED');
  });

  it('names the feature and both shapes when the dataset does not match the configuration', async () => {
    const reader = new EpisodeListReader(
      'lake-demos@7',
      { 'observation.state': { dtype: 'float32', shape: [70] }, action: { dtype: 'float32', shape: [2] } },
      [],
    );
    const error = await runTraining(config('mismatch'), { tracker: store, progress: quiet(), reader }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrainError);
    expect((error as TrainError).code).toBe('TRAIN_FEATURE_MISMATCH');
    expect((error as Error).message).toMatch(/"observation\.state" has shape \[70\].*expects \[69\]/);
  });

  it('fine-tunes a BC policy with PPO on a shaped reward and records the parent run', async () => {
    const parent = path.join(root, 'bc');
    await access(path.join(parent, 'run.json'));
    const result = await runTraining(
      config('ppo', {
        algorithm: 'ppo',
        ppo: {
          initFrom: parent,
          iterations: 2,
          numEnvs: 2,
          rolloutSteps: 32,
          epochs: 2,
          minibatchSize: 32,
          bcCoef: 0.5,
          expertCoef: 0.25,
          reward: { progress: 'geodesic', travel: -0.5, clearance: -1, clearanceMargin: 0.05 },
        },
      }),
      { tracker: store, progress: quiet() },
    );
    const run = store.getRun(result.runId);
    expect(run.params['ppo.reward.progress']).toBe('geodesic');
    const card = await readFile(path.join(result.packageDir, 'card.md'), 'utf8');
    expect(card).toContain(
      'Reinforcement learning reward: 1 per metre of progress toward the goal on the shortest free path; ' +
        '-0.01 per step, 10 on arrival, -10 on collision; -0.5 per metre travelled; ' +
        '-1 per step per metre of clearance below 0.05 m.',
    );
    expect(card).toContain(
      "Imitation beside the reward: behaviour cloning on the dataset's demonstrations (weight 0.5); " +
        "distillation toward the simulator's scripted expert on the states of its own rollouts (weight 0.25).",
    );
    expect(run.lineage.parentRunId).toBe((await new RunDirectory(parent).readRecord())?.runId);
    expect(run.metrics.filter((m) => m.key === 'ppo/value_loss')).toHaveLength(2);
    expect(run.metrics.filter((m) => m.key === 'ppo/bc_loss').every((m) => m.value > 0)).toBe(true);
    expect(run.metrics.filter((m) => m.key === 'ppo/expert_loss').every((m) => m.value > 0)).toBe(true);
    expect(run.metrics.filter((m) => m.key === 'ppo/expert_loss')).toHaveLength(2);
    expect(run.lineage.datasetVersion).toBe('sim-expert:nav-v1/train@0-4');
    expect(result.onnxMaxAbsError).toBeLessThanOrEqual(1e-5);
  });

  it('clones an ensemble, exports their mean, fine-tunes it with PPO, and refuses a parent of another shape', async () => {
    const ensemble = { hidden: [32, 32], ensemble: 2 };
    const bc = await runTraining(config('bc-ensemble', { network: ensemble }), {
      tracker: store,
      progress: quiet(),
    });
    expect(bc.onnxMaxAbsError).toBeLessThanOrEqual(1e-5);
    const card = await readFile(path.join(bc.packageDir, 'card.md'), 'utf8');
    expect(card).toContain('Mean of an ensemble of 2 MLPs 69 → 32 → 32 → 2');
    const ppo = {
      initFrom: bc.runDir,
      iterations: 1,
      numEnvs: 2,
      rolloutSteps: 16,
      epochs: 1,
      minibatchSize: 16,
      bcCoef: 0.5,
    };
    const tuned = await runTraining(config('ppo-ensemble', { algorithm: 'ppo', network: ensemble, ppo }), {
      tracker: store,
      progress: quiet(),
    });
    expect(tuned.onnxMaxAbsError).toBeLessThanOrEqual(1e-5);
    const error = await runTraining(config('ppo-single', { algorithm: 'ppo', ppo }), {
      tracker: store,
      progress: quiet(),
    }).catch((e: unknown) => e);
    expect((error as TrainError).code).toBe('TRAIN_FEATURE_MISMATCH');
    expect((error as TrainError).message).toMatch(
      /× 2 ensemble member\(s\), network has .* × 1 ensemble member/,
    );
  });

  it('aggregates expert labels over DAgger rounds', async () => {
    const result = await runTraining(
      config('dagger', {
        algorithm: 'dagger',
        bc: { epochs: 2, batchSize: 128 },
        dagger: { rounds: 1, episodesPerRound: 1, epochsPerRound: 1 },
      }),
      { tracker: store, progress: quiet() },
    );
    const run = store.getRun(result.runId);
    const frames = run.metrics.filter((m) => m.key === 'dagger/frames');
    expect(frames).toHaveLength(1);
    expect(result.losses).toHaveLength(3);
  });

  it('trains the quick-start BC policy once and reuses it afterwards', async () => {
    const outputDir = path.join(root, 'quick');
    const small = {
      network: { hidden: [16] },
      dataset: { source: 'sim-expert' as const, episodes: 2 },
      bc: { epochs: 2 },
      evaluation: { suite: 'nav-v1/test', episodes: 1 },
    };
    const first = await trainBehaviourCloning({
      outputDir,
      config: small,
      tracker: store,
      progress: quiet(),
    });
    expect(first.cached).toBe(false);
    const second = await trainBehaviourCloning({
      outputDir,
      config: small,
      tracker: store,
      progress: quiet(),
    });
    expect(second).toEqual({ ...first, cached: true });
  });

  it('tracks a run on an MLflow server named in the configuration', async () => {
    const server = new FakeMlflowServer({ token: 't0ken' });
    const url = await server.start();
    try {
      const result = await runTraining(
        config('mlflow', {
          bc: { epochs: 2 },
          evaluation: { suite: 'nav-v1/test', episodes: 1 },
          tracking: { backend: 'mlflow', url, token: 't0ken' },
        }),
        { progress: quiet() },
      );
      const run = server.runs.get(result.runId);
      expect(run?.status).toBe('FINISHED');
      expect(run?.tags.get(LINEAGE_TAGS.datasetVersion)).toBe('sim-expert:nav-v1/train@0-4');
      expect(run?.params.get('bc.epochs')).toBe('2');
      expect(run?.params.has('tracking.token')).toBe(false);
      expect(run?.metrics.filter((m) => m.key === 'train/loss')).toHaveLength(2);
      const prefix = `${run?.experimentId}/${result.runId}/artifacts/`;
      expect([...server.artifacts.keys()]).toEqual(
        expect.arrayContaining([
          `${prefix}policy/policy.onnx`,
          `${prefix}policy/policy.yaml`,
          `${prefix}learning-curve.svg`,
        ]),
      );
    } finally {
      await server.stop();
    }
  });
});
