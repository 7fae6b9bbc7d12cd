import { NAV_OBSERVATION_SIZE } from '../observation/navLayout.js';
import type { NavAction } from '../observation/navObservation.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { ScenarioSuite } from '../scenario/ScenarioSuite.js';
import { makeEpisode, NAV_V1_VARIANTS, type ScenarioVariant } from '../scenario/variants.js';
import { SimError } from '../SimError.js';
import { initPhysics } from '../world/physics.js';
import { NavSimulation } from './NavSimulation.js';
import type { NavState, StepResult } from './types.js';

/** Options of {@link NavEnv}. */
export interface NavEnvOptions {
  /** Variant `reset(seed)` draws worlds from (default `nav-v1/train`). */
  readonly variant?: string | ScenarioVariant;
  /** Physics steps per control period (default 2). */
  readonly substeps?: number;
}

/**
 * Gym-style navigation environment: one robot, one world per episode. `reset(seed)` draws a world
 * from the variant; the same seed and actions give the same trajectory bit for bit.
 *
 * @example
 * const env = await NavEnv.create({ variant: 'nav-v1/train' });
 * let obs = env.reset(42);
 * const { observation, reward, terminated, truncated } = env.step([0.3, 0]);
 */
export class NavEnv {
  readonly variant: ScenarioVariant;
  readonly observationSize = NAV_OBSERVATION_SIZE;
  readonly #sim: NavSimulation;

  private constructor(variant: ScenarioVariant, substeps: number) {
    this.variant = variant;
    this.#sim = new NavSimulation(substeps);
  }

  /** Loads the physics engine (once per process) and builds the environment. */
  static async create(options: NavEnvOptions = {}): Promise<NavEnv> {
    await initPhysics();
    return new NavEnv(resolveVariant(options.variant ?? 'nav-v1/train'), options.substeps ?? 2);
  }

  /** Starts a new episode in the world the variant yields for `seed`; returns its first observation. */
  reset(seed: number): Float32Array {
    if (!Number.isFinite(seed))
      throw new SimError('SIM_INVALID_ARGUMENT', `reset seed must be a finite number, got ${seed}`);
    return this.resetEpisode(makeEpisode(this.variant, seed));
  }

  /** Starts the given episode (e.g. one from a {@link ScenarioSuite}). */
  resetEpisode(episode: EpisodeSpec): Float32Array {
    const observation = new Float32Array(NAV_OBSERVATION_SIZE);
    this.#sim.reset(episode, observation, 0);
    return observation;
  }

  /** Applies `[linear m/s, angular rad/s]` for one 50 ms control period. */
  step(action: NavAction): StepResult {
    const sim = this.#sim;
    const observation = new Float32Array(NAV_OBSERVATION_SIZE);
    sim.step(action[0] ?? 0, action[1] ?? 0, observation, 0);
    const ended = sim.terminated || sim.truncated;
    return {
      observation,
      reward: sim.reward,
      terminated: sim.terminated,
      truncated: sim.truncated,
      info: {
        success: sim.success,
        collision: sim.collision,
        distanceToGoal: sim.distanceToGoal,
        clearance: sim.clearance,
        ...(ended ? { episode: sim.metrics() } : {}),
      },
    };
  }

  /** Privileged state of the current episode (pose, raw scan, clearance) for experts and operators. */
  state(): NavState {
    return this.#sim.state();
  }

  /** The current episode, if one was started. */
  get episode(): EpisodeSpec | undefined {
    return this.#sim.episode;
  }

  /** Releases the physics world. */
  close(): void {
    this.#sim.close();
  }
}

/** A variant by name (or as given); throws `SIM_UNKNOWN_SUITE` with the known names. */
export function resolveVariant(variant: string | ScenarioVariant): ScenarioVariant {
  if (typeof variant !== 'string') return variant;
  const found = NAV_V1_VARIANTS.get(variant);
  if (found === undefined) {
    throw new SimError(
      'SIM_UNKNOWN_SUITE',
      `unknown scenario variant "${variant}"; known: ${ScenarioSuite.names().join(', ')}`,
    );
  }
  return found;
}
