import type { GaussianPolicy } from '../model/GaussianPolicy.js';
import type { Mlp } from '../model/Mlp.js';
import { ObservationNormalizer, type NormalizerState } from '../model/ObservationNormalizer.js';
import { gaussian, permutation, type Rng } from '../model/random.js';
import { tf } from '../tf/backend.js';
import { TrainError } from '../TrainError.js';
import { generalizedAdvantages } from './gae.js';
import type { VectorEnvironment } from './VectorEnvironment.js';

/** PPO hyper-parameters. */
export interface PpoHyperParameters {
  /** Iterations (rollout + update) to run. */
  readonly iterations: number;
  /** Steps per environment per rollout. */
  readonly rolloutSteps: number;
  readonly epochs: number;
  readonly minibatchSize: number;
  readonly learningRate: number;
  /** Learning rate of the value function (its own Adam optimiser); `learningRate` when absent. */
  readonly valueLearningRate?: number;
  readonly gamma: number;
  readonly lambda: number;
  readonly clipRatio: number;
  readonly valueCoef: number;
  readonly entropyCoef: number;
  readonly maxGradNorm: number;
  /** Stop an update's epochs early once the approximate KL exceeds this (null: never). */
  readonly targetKl: number | null;
  /** First iterations train only the value function (fine-tuning from BC keeps the policy intact meanwhile). */
  readonly criticWarmupIterations: number;
  /** Update the observation normaliser from rollouts (off when fine-tuning a BC policy). */
  readonly updateNormalizer: boolean;
  /** Weight of a behaviour-cloning loss on demonstrations beside the PPO loss (0: none). */
  readonly bcCoef: number;
  /**
   * Weight of a distillation loss toward a teacher's action on the states the rollouts visit
   * (kickstarting; 0 or absent: none). Needs {@link TrainPpoOptions.teacher}.
   */
  readonly teacherCoef?: number;
}

/**
 * Labels the state environment `envIndex` is in now (before the step): the physical action a
 * teacher (the simulator's scripted expert) would take there.
 */
export type PpoTeacher = (envIndex: number) => ArrayLike<number>;

/** Demonstrations for the behaviour-cloning term: raw observations, actions in normalised units. */
export interface PpoDemonstrations {
  readonly observations: Float32Array;
  readonly normalizedActions: Float32Array;
  readonly frames: number;
}

/** What one PPO iteration measured. */
export interface PpoIterationStats {
  readonly iteration: number;
  readonly envSteps: number;
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  readonly approxKl: number;
  readonly clipFraction: number;
  /** Behaviour-cloning loss on demonstrations (NaN without them). */
  readonly bcLoss: number;
  /** Squared error to the teacher's actions on the rollout's states (NaN without a teacher). */
  readonly teacherLoss: number;
  readonly episodes: number;
  /** Over episodes that ended in this rollout; NaN when none did. */
  readonly successRate: number;
  readonly collisionRate: number;
  readonly meanReturn: number;
}

/** PPO state beside the networks that a checkpoint must keep. */
export interface PpoState {
  readonly iteration: number;
  readonly envSteps: number;
  readonly returnStats: NormalizerState;
}

/** Options for {@link trainPpo}. */
export interface TrainPpoOptions {
  readonly policy: GaussianPolicy;
  readonly value: Mlp;
  readonly env: VectorEnvironment;
  readonly hyper: PpoHyperParameters;
  readonly rng: Rng;
  /** Seed of the environments' episode stream. */
  readonly envSeed: number;
  /** State of a resumed run. */
  readonly resume?: PpoState;
  /** Demonstrations for `hyper.bcCoef`. */
  readonly demonstrations?: PpoDemonstrations;
  /** Teacher for `hyper.teacherCoef`. */
  readonly teacher?: PpoTeacher;
  /** Called after each iteration (logging, evaluation, checkpoints). */
  readonly onIteration?: (stats: PpoIterationStats, state: PpoState) => Promise<void> | void;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Proximal policy optimisation with the clipped surrogate objective, GAE, a value loss, an
 * entropy bonus, reward scaling by the running standard deviation of discounted returns,
 * gradient-norm clipping and KL early stopping, on a vectorised environment. The policy acts in
 * its normalised action space; the environment receives scaled, clipped physical actions.
 *
 * @throws {TrainError} `TRAIN_NAN_LOSS` at the first iteration whose loss is not finite.
 */
export async function trainPpo(options: TrainPpoOptions): Promise<PpoState> {
  const { policy, value, env, hyper, rng } = options;
  const n = env.numEnvs;
  const obsSize = env.observationSize;
  const actSize = env.actionSize;
  const steps = hyper.rolloutSteps;
  const batch = steps * n;
  const returnStats = options.resume
    ? ObservationNormalizer.fromJSON(options.resume.returnStats)
    : new ObservationNormalizer(1);
  const discounted = new Float64Array(n);
  let envSteps = options.resume?.envSteps ?? 0;

  const obsBuf = new Float32Array(batch * obsSize);
  const actBuf = new Float32Array(batch * actSize);
  const logpBuf = new Float32Array(batch);
  const valBuf = new Float32Array(batch);
  const rewBuf = new Float32Array(batch);
  const doneBuf = new Uint8Array(batch);
  const envActions = new Float32Array(n * actSize);
  const sampled = new Float32Array(n * actSize);
  const teacherCoef = hyper.teacherCoef ?? 0;
  const teacher = teacherCoef > 0 ? options.teacher : undefined;
  if (teacherCoef > 0 && teacher === undefined) {
    throw new TrainError(
      'TRAIN_INVALID_ARGUMENT',
      'PPO teacherCoef > 0 needs a teacher to label the rollout states',
    );
  }
  const labelBuf = new Float32Array(teacher === undefined ? 0 : batch * actSize);
  const labels = new Float32Array(teacher === undefined ? 0 : n * actSize);

  // One optimiser per network: a critic that starts from random weights under a fine-tuned policy
  // needs a larger step than the policy, and each network's gradient norm is clipped on its own.
  const policyOptimizer = tf.train.adam(hyper.learningRate, 0.9, 0.999, 1e-5);
  const valueOptimizer = tf.train.adam(hyper.valueLearningRate ?? hyper.learningRate, 0.9, 0.999, 1e-5);
  const estimateValues = (obs: Float32Array, rows: number): Float32Array =>
    tf.tidy(
      () => value.apply(policy.normalize(tf.tensor2d(obs, [rows, obsSize]))).dataSync() as Float32Array,
    );

  env.reset(options.envSeed + (options.resume?.iteration ?? 0));
  let state: PpoState = {
    iteration: options.resume?.iteration ?? 0,
    envSteps,
    returnStats: returnStats.toJSON(),
  };
  try {
    for (let iteration = state.iteration; iteration < hyper.iterations; iteration++) {
      const logStd = policy.logStd.dataSync() as Float32Array;
      const std = Float32Array.from(logStd, Math.exp);
      let episodes = 0;
      let successes = 0;
      let collisions = 0;
      let returnsSum = 0;
      for (let t = 0; t < steps; t++) {
        const obs = env.observations;
        obsBuf.set(obs, t * n * obsSize);
        const [mean, values] = tf.tidy(() => {
          const x = tf.tensor2d(obs, [n, obsSize]);
          const norm = policy.normalize(x);
          return [
            policy.mlp.apply(norm).dataSync() as Float32Array,
            value.apply(norm).dataSync() as Float32Array,
          ];
        });
        for (let i = 0; i < n; i++) {
          let logp = 0;
          for (let d = 0; d < actSize; d++) {
            const k = i * actSize + d;
            const eps = gaussian(rng);
            sampled[k] = (mean[k] as number) + (std[d] as number) * eps;
            logp += -0.5 * eps * eps - (logStd[d] as number) - 0.5 * LOG_2PI;
          }
          logpBuf[t * n + i] = logp;
          valBuf[t * n + i] = values[i] as number;
        }
        actBuf.set(sampled, t * n * actSize);
        envActions.set(policy.toPhysical(sampled));
        if (teacher !== undefined) {
          for (let i = 0; i < n; i++) labels.set(teacher(i), i * actSize);
          labelBuf.set(policy.toNormalized(labels), t * n * actSize);
        }
        env.step(envActions);
        envSteps += n;
        const retStd = Math.sqrt(Math.max((returnStats.std()[0] as number) ** 2, 1e-8));
        const scale = returnStats.count > 1 ? 1 / retStd : 1;
        const rawRewards = Float64Array.from(env.rewards);
        for (let i = 0; i < n; i++) {
          const done = env.terminated[i] === 1 || env.truncated[i] === 1;
          discounted[i] = (discounted[i] as number) * hyper.gamma + (rawRewards[i] as number);
          let r = (rawRewards[i] as number) * scale;
          if (env.truncated[i] === 1 && env.terminated[i] !== 1) {
            const final = env.finalObservations.subarray(i * obsSize, (i + 1) * obsSize);
            r += hyper.gamma * (estimateValues(final, 1)[0] as number);
          }
          rewBuf[t * n + i] = r;
          doneBuf[t * n + i] = done ? 1 : 0;
          const finished = env.finished[i];
          if (done && finished !== undefined) {
            episodes += 1;
            successes += finished.success ? 1 : 0;
            collisions += finished.collision ? 1 : 0;
            returnsSum += finished.totalReward;
          }
          if (done) discounted[i] = 0;
        }
        returnStats.update(Float64Array.from(discounted));
      }
      const lastValues = estimateValues(env.observations, n);
      const { advantages, returns } = generalizedAdvantages({
        rewards: rewBuf,
        values: valBuf,
        dones: doneBuf,
        lastValues,
        envs: n,
        gamma: hyper.gamma,
        lambda: hyper.lambda,
      });
      normalizeInPlace(advantages);

      const trainPolicy = iteration >= hyper.criticWarmupIterations;
      const update = runUpdate({
        policy,
        value,
        policyOptimizer,
        valueOptimizer,
        trainPolicy,
        hyper,
        rng,
        demonstrations: hyper.bcCoef > 0 ? options.demonstrations : undefined,
        teacherCoef,
        labelBuf: teacher === undefined ? undefined : labelBuf,
        obsBuf,
        actBuf,
        logpBuf,
        advantages,
        returns,
        batch,
        obsSize,
        actSize,
      });
      if (!Number.isFinite(update.policyLoss) || !Number.isFinite(update.valueLoss)) {
        throw new TrainError(
          'TRAIN_NAN_LOSS',
          `PPO loss became non-finite in iteration ${iteration} (policy ${update.policyLoss}, value ${update.valueLoss}); lower ppo.learningRate`,
        );
      }
      if (hyper.updateNormalizer) {
        policy.normalizer.update(obsBuf);
        policy.syncNormalizer();
      }
      state = { iteration: iteration + 1, envSteps, returnStats: returnStats.toJSON() };
      await options.onIteration?.(
        {
          iteration,
          envSteps,
          ...update,
          episodes,
          successRate: episodes > 0 ? successes / episodes : Number.NaN,
          collisionRate: episodes > 0 ? collisions / episodes : Number.NaN,
          meanReturn: episodes > 0 ? returnsSum / episodes : Number.NaN,
        },
        state,
      );
    }
  } finally {
    policyOptimizer.dispose();
    valueOptimizer.dispose();
  }
  return state;
}

interface UpdateInputs {
  readonly policy: GaussianPolicy;
  readonly value: Mlp;
  readonly policyOptimizer: tf.Optimizer;
  readonly valueOptimizer: tf.Optimizer;
  readonly trainPolicy: boolean;
  readonly hyper: PpoHyperParameters;
  readonly rng: Rng;
  readonly demonstrations: PpoDemonstrations | undefined;
  readonly teacherCoef: number;
  /** Teacher's actions (normalised units) per rollout row, or none. */
  readonly labelBuf: Float32Array | undefined;
  readonly obsBuf: Float32Array;
  readonly actBuf: Float32Array;
  readonly logpBuf: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  readonly batch: number;
  readonly obsSize: number;
  readonly actSize: number;
}

function runUpdate(
  u: UpdateInputs,
): Pick<
  PpoIterationStats,
  'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFraction' | 'bcLoss' | 'teacherLoss'
> {
  const { hyper, batch, obsSize, actSize } = u;
  const mb = Math.min(hyper.minibatchSize, batch);
  const obs = new Float32Array(mb * obsSize);
  const act = new Float32Array(mb * actSize);
  const oldLogp = new Float32Array(mb);
  const adv = new Float32Array(mb);
  const ret = new Float32Array(mb);
  const labels = u.labelBuf;
  const lab = new Float32Array(labels === undefined ? 0 : mb * actSize);
  const demos = u.demonstrations;
  const demoObs = new Float32Array(demos === undefined ? 0 : mb * obsSize);
  const demoAct = new Float32Array(demos === undefined ? 0 : mb * actSize);
  const policyVars = u.trainPolicy ? u.policy.variables(true) : [];
  const valueVars = u.value.variables();
  let bcLoss = 0;
  let teacherLoss = 0;
  let policyLoss = 0;
  let valueLoss = 0;
  let approxKl = 0;
  let clipFraction = 0;
  let updates = 0;
  for (let epoch = 0; epoch < hyper.epochs; epoch++) {
    const order = permutation(batch, u.rng);
    let epochKl = 0;
    let epochBatches = 0;
    for (let start = 0; start + mb <= batch; start += mb) {
      for (let r = 0; r < mb; r++) {
        const row = order[start + r] as number;
        obs.set(u.obsBuf.subarray(row * obsSize, (row + 1) * obsSize), r * obsSize);
        act.set(u.actBuf.subarray(row * actSize, (row + 1) * actSize), r * actSize);
        oldLogp[r] = u.logpBuf[row] as number;
        adv[r] = u.advantages[row] as number;
        ret[r] = u.returns[row] as number;
        if (labels !== undefined) lab.set(labels.subarray(row * actSize, (row + 1) * actSize), r * actSize);
        if (demos !== undefined) {
          const d = Math.floor(u.rng() * demos.frames);
          demoObs.set(demos.observations.subarray(d * obsSize, (d + 1) * obsSize), r * obsSize);
          demoAct.set(demos.normalizedActions.subarray(d * actSize, (d + 1) * actSize), r * actSize);
        }
      }
      const stats = tf.tidy(() => {
        const x = tf.tensor2d(obs, [mb, obsSize]);
        const a = tf.tensor2d(act, [mb, actSize]);
        const oldLp = tf.tensor1d(oldLogp);
        const advT = tf.tensor1d(adv);
        const retT = tf.tensor1d(ret);
        let parts: number[] = [];
        const lossFn = (): { policyObjective: tf.Scalar; vLoss: tf.Scalar } => {
          const norm = u.policy.normalize(x);
          const mean = u.policy.mlp.apply(norm);
          const logStd = u.policy.logStd;
          const z = tf.div(tf.sub(a, mean), tf.exp(logStd));
          const logp = tf.sub(
            tf.mul(-0.5, tf.sum(tf.square(z), 1)),
            tf.add(tf.sum(logStd), 0.5 * LOG_2PI * actSize),
          );
          const ratio = tf.exp(tf.sub(logp, oldLp));
          const clipped = tf.clipByValue(ratio, 1 - hyper.clipRatio, 1 + hyper.clipRatio);
          const pLoss = tf.neg(tf.mean<tf.Scalar>(tf.minimum(tf.mul(ratio, advT), tf.mul(clipped, advT))));
          const v = tf.squeeze(u.value.apply(norm), [1]);
          const vLoss = tf.mean<tf.Scalar>(tf.square(tf.sub(v, retT)));
          const entropy = tf.add<tf.Scalar>(tf.sum(logStd), 0.5 * (1 + LOG_2PI) * actSize);
          const kl = tf.mean<tf.Scalar>(tf.sub(oldLp, logp));
          const clipFrac = tf.mean<tf.Scalar>(
            tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), hyper.clipRatio), 'float32'),
          );
          let policyObjective: tf.Scalar = tf.sub(pLoss, tf.mul(hyper.entropyCoef, entropy));
          let bc = Number.NaN;
          if (demos !== undefined) {
            const demoMean = u.policy.meanNormalized(tf.tensor2d(demoObs, [mb, obsSize]));
            const bcTerm = tf.mean<tf.Scalar>(
              tf.square(tf.sub(demoMean, tf.tensor2d(demoAct, [mb, actSize]))),
            );
            bc = bcTerm.dataSync()[0] as number;
            policyObjective = tf.add(policyObjective, tf.mul(hyper.bcCoef, bcTerm));
          }
          let teach = Number.NaN;
          if (labels !== undefined) {
            const teacherTerm = tf.mean<tf.Scalar>(tf.square(tf.sub(mean, tf.tensor2d(lab, [mb, actSize]))));
            teach = teacherTerm.dataSync()[0] as number;
            policyObjective = tf.add(policyObjective, tf.mul(u.teacherCoef, teacherTerm));
          }
          parts = [...[pLoss, vLoss, entropy, kl, clipFrac].map((t) => t.dataSync()[0] as number), bc, teach];
          return { policyObjective, vLoss };
        };
        // The policy's objective does not depend on the value network nor the value loss on the
        // policy's, so one backward pass through their sum gives both networks' gradients. During
        // critic warm-up only the value loss is differentiated and only the critic steps.
        const { grads } = tf.variableGrads(() => {
          const { policyObjective, vLoss } = lossFn();
          const valueTerm = tf.mul<tf.Scalar>(hyper.valueCoef, vLoss);
          return u.trainPolicy ? tf.add<tf.Scalar>(policyObjective, valueTerm) : valueTerm;
        }, [...policyVars, ...valueVars]);
        if (u.trainPolicy)
          u.policyOptimizer.applyGradients(clipByGlobalNorm(grads, policyVars, hyper.maxGradNorm));
        u.valueOptimizer.applyGradients(clipByGlobalNorm(grads, valueVars, hyper.maxGradNorm));
        return parts;
      });
      policyLoss += stats[0] as number;
      valueLoss += stats[1] as number;
      approxKl += stats[3] as number;
      clipFraction += stats[4] as number;
      bcLoss += stats[5] as number;
      teacherLoss += stats[6] as number;
      epochKl += stats[3] as number;
      epochBatches += 1;
      updates += 1;
    }
    if (u.trainPolicy && hyper.targetKl !== null && epochKl / epochBatches > 1.5 * hyper.targetKl) break;
  }
  const entropy = tf.tidy(
    () => tf.add(tf.sum(u.policy.logStd), 0.5 * (1 + LOG_2PI) * actSize).dataSync()[0] as number,
  );
  return {
    policyLoss: policyLoss / updates,
    valueLoss: valueLoss / updates,
    entropy,
    approxKl: approxKl / updates,
    clipFraction: clipFraction / updates,
    bcLoss: bcLoss / updates,
    teacherLoss: teacherLoss / updates,
  };
}

/** The gradients of `vars`, scaled down together so that their global norm is at most `maxNorm`. */
function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  vars: readonly tf.Variable[],
  maxNorm: number,
): tf.NamedTensorMap {
  const norm = Math.sqrt(
    vars.reduce((sum, v) => sum + (tf.sum(tf.square(grads[v.name] as tf.Tensor)).dataSync()[0] as number), 0),
  );
  const factor = norm > maxNorm ? maxNorm / norm : 1;
  return Object.fromEntries(vars.map((v) => [v.name, tf.mul(grads[v.name] as tf.Tensor, factor)]));
}

function normalizeInPlace(values: Float32Array): void {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / values.length) + 1e-8;
  for (let i = 0; i < values.length; i++) values[i] = ((values[i] as number) - mean) / std;
}
