import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianPolicy } from '../model/GaussianPolicy.js';
import { Mlp } from '../model/Mlp.js';
import { seededRng, type Rng } from '../model/random.js';
import { initTensorflow } from '../tf/backend.js';
import { TrainError } from '../TrainError.js';
import { trainPpo, type PpoHyperParameters, type PpoIterationStats } from './ppo.js';
import type { FinishedEpisode, VectorEnvironment } from './VectorEnvironment.js';

beforeAll(async () => {
  await initTensorflow();
});

/**
 * A point on a line that must reach the origin: the observation is its position, the action a
 * velocity in [-1, 1] moving it 0.1 per step, the reward the distance gained, 1 on arrival (within
 * 0.05) and episodes time out after 40 steps. A policy that does not steer reaches it by chance.
 */
class LineEnv implements VectorEnvironment {
  readonly observationSize = 1;
  readonly actionSize = 1;
  readonly observations: Float32Array;
  readonly finalObservations: Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  finished: (FinishedEpisode | undefined)[];
  readonly #steps: Uint32Array;
  readonly #returns: Float64Array;
  #rng: Rng = seededRng(0);

  /**
   * `position` pays the position itself every step instead (no arrival bonus): with a frozen
   * policy that barely moves, the return is then a smooth function of the state.
   */
  constructor(
    readonly numEnvs: number,
    readonly rewardKind: 'progress' | 'position' = 'progress',
  ) {
    this.observations = new Float32Array(numEnvs);
    this.finalObservations = new Float32Array(numEnvs);
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.finished = new Array<FinishedEpisode | undefined>(numEnvs).fill(undefined);
    this.#steps = new Uint32Array(numEnvs);
    this.#returns = new Float64Array(numEnvs);
  }

  reset(seed: number): Float32Array {
    this.#rng = seededRng(seed);
    for (let i = 0; i < this.numEnvs; i++) this.#start(i);
    return this.observations;
  }

  step(actions: Float32Array): void {
    for (let i = 0; i < this.numEnvs; i++) {
      const x = this.observations[i] as number;
      const next = x + 0.1 * Math.max(-1, Math.min(1, actions[i] as number));
      const success = Math.abs(next) < 0.05;
      const reward = this.rewardKind === 'position' ? next : Math.abs(x) - Math.abs(next) + (success ? 1 : 0);
      this.#steps[i] = (this.#steps[i] as number) + 1;
      this.#returns[i] = (this.#returns[i] as number) + reward;
      this.rewards[i] = reward;
      this.terminated[i] = success ? 1 : 0;
      this.truncated[i] = !success && (this.#steps[i] as number) >= 40 ? 1 : 0;
      this.finalObservations[i] = next;
      this.observations[i] = next;
      this.finished[i] = undefined;
      if (this.terminated[i] === 1 || this.truncated[i] === 1) {
        this.finished[i] = {
          success,
          collision: false,
          pathLengthRatio: 1,
          totalReward: this.#returns[i] as number,
        };
        this.#start(i);
      }
    }
  }

  #start(i: number): void {
    const side = this.#rng() < 0.5 ? -1 : 1;
    this.observations[i] = side * (0.5 + this.#rng());
    this.#steps[i] = 0;
    this.#returns[i] = 0;
  }
}

function setup(seed: number, initLogStd = -0.5): { policy: GaussianPolicy; value: Mlp } {
  const rng = seededRng(seed);
  const policy = new GaussianPolicy(
    { observationSize: 1, actionSize: 1, hidden: [16], activation: 'tanh', actionLow: [-1], actionHigh: [1] },
    { rng, initLogStd },
  );
  const value = new Mlp({ sizes: [1, 16, 1], activation: 'tanh', rng, outputGain: 1 });
  return { policy, value };
}

const hyper: PpoHyperParameters = {
  iterations: 25,
  rolloutSteps: 64,
  epochs: 4,
  minibatchSize: 128,
  learningRate: 3e-3,
  gamma: 0.95,
  lambda: 0.95,
  clipRatio: 0.2,
  valueCoef: 0.5,
  entropyCoef: 0,
  maxGradNorm: 0.5,
  targetKl: null,
  criticWarmupIterations: 0,
  updateNormalizer: true,
  bcCoef: 0,
};

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

describe('trainPpo', () => {
  it('learns to steer to the goal from a policy that does not', async () => {
    const { policy, value } = setup(1);
    const stats: PpoIterationStats[] = [];
    await trainPpo({
      policy,
      value,
      env: new LineEnv(8),
      hyper,
      rng: seededRng(2),
      envSeed: 3,
      onIteration: (s) => void stats.push(s),
    });
    const first = mean(stats.slice(0, 3).map((s) => s.successRate));
    const last = mean(stats.slice(-3).map((s) => s.successRate));
    expect(first).toBeLessThan(0.6);
    expect(last).toBeGreaterThan(0.95);
    // The deterministic policy heads for the origin from either side.
    const act = policy.act(Float32Array.from([-1, -0.5, 0.5, 1]));
    expect(Array.from(act.subarray(0, 2)).every((a) => a > 0.5)).toBe(true);
    expect(Array.from(act.subarray(2)).every((a) => a < -0.5)).toBe(true);
    policy.dispose();
    value.dispose();
  });

  it('trains only the critic during warm-up, at its own learning rate', async () => {
    const run = async (valueLearningRate: number): Promise<{ losses: number[]; unchanged: boolean }> => {
      // Nearly deterministic actions: the returns are then a function of the state a critic can fit.
      const { policy, value } = setup(4, -4);
      policy.normalizer.update(Float32Array.from([-1.5, -0.5, 0.5, 1.5]));
      policy.syncNormalizer();
      const before = JSON.stringify(policy.snapshot());
      const losses: number[] = [];
      await trainPpo({
        policy,
        value,
        env: new LineEnv(8, 'position'),
        hyper: {
          ...hyper,
          iterations: 10,
          criticWarmupIterations: 10,
          updateNormalizer: false,
          learningRate: 1e-4,
          valueLearningRate,
        },
        rng: seededRng(5),
        envSeed: 6,
        onIteration: (s) => void losses.push(s.valueLoss),
      });
      const unchanged = JSON.stringify(policy.snapshot()) === before;
      policy.dispose();
      value.dispose();
      return { losses, unchanged };
    };
    const slow = await run(1e-4);
    const fast = await run(1e-2);
    expect(slow.unchanged).toBe(true);
    expect(fast.unchanged).toBe(true);
    // The policy is frozen, so both critics fit the same rollouts.
    expect(mean(fast.losses.slice(-2))).toBeLessThan(0.1 * mean(slow.losses.slice(-2)));
  });

  it('pulls the policy toward a teacher on the states its rollouts visit, against the reward', async () => {
    const { policy, value } = setup(7);
    const env = new LineEnv(8, 'position');
    const stats: PpoIterationStats[] = [];
    let labels = 0;
    await trainPpo({
      policy,
      value,
      // The reward pays for being far right; the teacher steers to the origin from both sides.
      env,
      hyper: { ...hyper, iterations: 15, teacherCoef: 10 },
      teacher: (i) => {
        labels += 1;
        return [Math.max(-1, Math.min(1, -2 * (env.observations[i] as number)))];
      },
      rng: seededRng(8),
      envSeed: 9,
      onIteration: (s) => void stats.push(s),
    });
    expect(labels).toBe(15 * hyper.rolloutSteps * 8);
    expect(mean(stats.slice(-3).map((s) => s.teacherLoss))).toBeLessThan(
      0.2 * mean(stats.slice(0, 3).map((s) => s.teacherLoss)),
    );
    const act = policy.act(Float32Array.from([-1, -0.5, 0.5, 1]));
    expect(Array.from(act.subarray(0, 2)).every((a) => a > 0.5)).toBe(true);
    expect(Array.from(act.subarray(2)).every((a) => a < -0.5)).toBe(true);
    expect(Number.isNaN(stats[0]?.bcLoss)).toBe(true);
    policy.dispose();
    value.dispose();
  });

  it('refuses a teacher weight without a teacher', async () => {
    const { policy, value } = setup(1);
    await expect(
      trainPpo({
        policy,
        value,
        env: new LineEnv(2),
        hyper: { ...hyper, iterations: 1, teacherCoef: 1 },
        rng: seededRng(2),
        envSeed: 3,
      }),
    ).rejects.toThrow(TrainError);
    policy.dispose();
    value.dispose();
  });
});
