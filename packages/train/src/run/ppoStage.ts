import {
  clampNavAction,
  NAV_ACTION_SIZE,
  NAV_OBSERVATION_SIZE,
  ScriptedExpert,
  VectorNavEnv,
} from '@fleetloop/sim';
import { trainPpo, type PpoDemonstrations, type PpoState, type PpoTeacher } from '../algo/ppo.js';
import { loadDemonstrations } from '../data/loadDemonstrations.js';
import {
  deserializeLayer,
  GaussianPolicy,
  serializeLayer,
  type PolicyArchitecture,
} from '../model/GaussianPolicy.js';
import { Mlp } from '../model/Mlp.js';
import { tf } from '../tf/backend.js';
import { TrainError } from '../TrainError.js';
import { evaluateOnSuite, evaluationMetrics } from './evaluateOnSuite.js';
import { architecture, augment, type StageContext, type StageResult } from './stage.js';

/** PPO from scratch or from a parent run, checkpointed every iteration. */
export async function trainPpoStage(ctx: StageContext): Promise<StageResult> {
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
    const describe = (a: PolicyArchitecture): string =>
      `hidden layers [${a.hidden.join(', ')}] ${a.activation} × ${a.ensembleMembers ?? 1} ensemble member(s)`;
    if (describe(parentArch) !== describe(arch)) {
      throw new TrainError(
        'TRAIN_FEATURE_MISMATCH',
        `ppo.initFrom policy has ${describe(parentArch)}, network has ${describe(arch)}; ` +
          `set network (hidden, activation, ensemble) to the parent's`,
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
  const env = await VectorNavEnv.create(p.numEnvs, { suite: p.suite, reward: p.reward });
  const teacher = p.expertCoef > 0 ? expertTeacher(env) : undefined;
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
        ...(p.valueLearningRate === undefined ? {} : { valueLearningRate: p.valueLearningRate }),
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
        teacherCoef: p.expertCoef,
      },
      ...(demonstrations === undefined ? {} : { demonstrations }),
      ...(teacher === undefined ? {} : { teacher }),
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
          'ppo/expert_loss': stats.teacherLoss,
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
              (await evaluateOnSuite(policy.snapshot(), config.evaluation.suite, config.evaluation.episodes))
                .aggregate,
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

/**
 * The scripted expert as PPO's teacher: one expert per world, re-planned whenever its world starts
 * an episode, labelling the state the world is in with the expert's (clamped) command.
 */
function expertTeacher(env: VectorNavEnv): PpoTeacher {
  const experts = Array.from({ length: env.numEnvs }, () => new ScriptedExpert());
  return (i) => {
    const state = env.state(i);
    const expert = experts[i] as ScriptedExpert;
    if (state.step === 0) expert.reset(state.episode);
    return clampNavAction(expert.actAt(state.pose, state.scan, state.time));
  };
}
