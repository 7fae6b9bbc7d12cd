import { NAV_ACTION_SIZE, NAV_OBSERVATION_SIZE } from '../observation/navLayout.js';
import { SeededRandom } from '../random/SeededRandom.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';
import { SimError } from '../SimError.js';
import { initPhysics } from '../world/physics.js';
import { NavSimulation, type NavRewardOptions } from './NavSimulation.js';
import type { EpisodeMetrics, NavState } from './types.js';

/** Options of {@link VectorNavEnv}. */
export interface VectorNavEnvOptions {
  /** Suite whose episodes the worlds cycle through, drawn by the reset seed (default `nav-v1/train`). */
  readonly suite?: string;
  /** Physics steps per control period (default 2). */
  readonly substeps?: number;
  /** Reward shaping for reinforcement learning (default: {@link NAV_REWARD} as it is). */
  readonly reward?: NavRewardOptions;
}

/**
 * N navigation worlds stepped in one call, with flat buffers: observations `N x 69`, actions
 * `N x 2`, rewards and done flags `N`. A world whose episode ends is reset at once to a new
 * episode (auto-reset); its last observation is kept in `finalObservations` and its metrics in
 * `finished`. Episodes are drawn from the suite by a stream seeded in `reset(seed)`, so a seed and
 * an action sequence give the same trajectories bit for bit.
 */
export class VectorNavEnv {
  readonly numEnvs: number;
  readonly observationSize = NAV_OBSERVATION_SIZE;
  readonly actionSize = NAV_ACTION_SIZE;
  readonly suite: ScenarioSuite;
  /** Current observation of every world, `numEnvs * observationSize`. */
  readonly observations: Float32Array;
  /** Observation at episode end for worlds that auto-reset in the last step (else stale). */
  readonly finalObservations: Float32Array;
  readonly rewards: Float32Array;
  /** 1 where the last step ended the episode by success or collision. */
  readonly terminated: Uint8Array;
  /** 1 where the last step ended the episode by time limit. */
  readonly truncated: Uint8Array;
  /** Metrics of episodes that ended in the last step, per world; `undefined` elsewhere. */
  readonly finished: (EpisodeMetrics | undefined)[];
  readonly #sims: NavSimulation[];
  #episodeRng: SeededRandom | undefined;

  private constructor(numEnvs: number, suite: ScenarioSuite, substeps: number, reward: NavRewardOptions) {
    this.numEnvs = numEnvs;
    this.suite = suite;
    this.observations = new Float32Array(numEnvs * NAV_OBSERVATION_SIZE);
    this.finalObservations = new Float32Array(numEnvs * NAV_OBSERVATION_SIZE);
    this.rewards = new Float32Array(numEnvs);
    this.terminated = new Uint8Array(numEnvs);
    this.truncated = new Uint8Array(numEnvs);
    this.finished = new Array<EpisodeMetrics | undefined>(numEnvs).fill(undefined);
    this.#sims = Array.from({ length: numEnvs }, () => new NavSimulation(substeps, reward));
  }

  /** Loads the physics engine (once per process) and builds `numEnvs` worlds. */
  static async create(numEnvs: number, options: VectorNavEnvOptions = {}): Promise<VectorNavEnv> {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) {
      throw new SimError('SIM_INVALID_ARGUMENT', `numEnvs must be a positive integer, got ${numEnvs}`);
    }
    await initPhysics();
    return new VectorNavEnv(
      numEnvs,
      ScenarioSuite.get(options.suite ?? 'nav-v1/train'),
      options.substeps ?? 2,
      options.reward ?? {},
    );
  }

  /** Starts a fresh episode in every world; returns `observations`. */
  reset(seed: number): Float32Array {
    this.#episodeRng = new SeededRandom(seed);
    for (let i = 0; i < this.numEnvs; i++) this.#startEpisode(i);
    this.rewards.fill(0);
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.finished.fill(undefined);
    return this.observations;
  }

  /** Steps every world with its action (`actions[2i]` m/s, `actions[2i+1]` rad/s); results land in the buffers. */
  step(actions: Float32Array | Float64Array): void {
    if (actions.length !== this.numEnvs * NAV_ACTION_SIZE) {
      throw new SimError(
        'SIM_INVALID_ARGUMENT',
        `actions has ${actions.length} floats; expected numEnvs x ${NAV_ACTION_SIZE} = ${this.numEnvs * NAV_ACTION_SIZE}`,
      );
    }
    if (this.#episodeRng === undefined) {
      throw new SimError('SIM_NOT_RESET', 'VectorNavEnv.step() before reset(seed)');
    }
    const obs = this.observations;
    for (let i = 0; i < this.numEnvs; i++) {
      const sim = this.#sims[i] as NavSimulation;
      const offset = i * NAV_OBSERVATION_SIZE;
      sim.step(actions[2 * i] as number, actions[2 * i + 1] as number, obs, offset);
      this.rewards[i] = sim.reward;
      this.terminated[i] = sim.terminated ? 1 : 0;
      this.truncated[i] = sim.truncated ? 1 : 0;
      if (sim.ended) {
        this.finished[i] = sim.metrics();
        this.finalObservations.set(obs.subarray(offset, offset + NAV_OBSERVATION_SIZE), offset);
        this.#startEpisode(i);
      } else if (this.finished[i] !== undefined) {
        this.finished[i] = undefined;
      }
    }
  }

  /** Privileged state of world `index`. */
  state(index: number): NavState {
    const sim = this.#sims[index];
    if (sim === undefined)
      throw new SimError('SIM_INVALID_ARGUMENT', `world ${index} is outside 0..${this.numEnvs - 1}`);
    return sim.state();
  }

  /** Releases every physics world. */
  close(): void {
    for (const sim of this.#sims) sim.close();
  }

  #startEpisode(i: number): void {
    const rng = this.#episodeRng as SeededRandom;
    const episode = this.suite.episode(rng.int(0, this.suite.size - 1));
    (this.#sims[i] as NavSimulation).reset(episode, this.observations, i * NAV_OBSERVATION_SIZE);
  }
}
