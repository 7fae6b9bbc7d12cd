import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NAV_ACTION_SIZE, NAV_OBSERVATION_SIZE } from '@fleetloop/sim';
import { fitBehaviourCloning } from '../algo/behaviourCloning.js';
import { collectDaggerFrames } from '../algo/collectDaggerFrames.js';
import { concat, loadDemonstrations, type Demonstrations } from '../data/loadDemonstrations.js';
import { compilePolicy } from '../model/compilePolicy.js';
import { GaussianPolicy } from '../model/GaussianPolicy.js';
import { architecture, augment, type StageContext, type StageResult } from './stage.js';

/** Behaviour cloning on the configured demonstrations, checkpointed every epoch. */
export async function trainBcStage(ctx: StageContext): Promise<StageResult> {
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

/** DAgger: BC (or a parent policy), then aggregation rounds, checkpointed every round. */
export async function trainDaggerStage(ctx: StageContext): Promise<StageResult> {
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
