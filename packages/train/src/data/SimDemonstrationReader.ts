import {
  clampNavAction,
  NAV_ACTION_SIZE,
  NAV_OBSERVATION_SIZE,
  NavEnv,
  ScenarioSuite,
  ScriptedExpert,
  type NavPolicy,
} from '@fleetloop/sim';
import { gaussian, seededRng } from '../model/random.js';
import { concat } from './loadDemonstrations.js';
import {
  ACTION_FEATURE,
  OBSERVATION_FEATURE,
  type DatasetEpisode,
  type DatasetReader,
  type FeatureSpec,
} from './DatasetReader.js';

/** Options for {@link SimDemonstrationReader}. */
export interface SimDemonstrationReaderOptions {
  /** Scenario suite the demonstrations are recorded in (default `nav-v1/train`). */
  readonly suite?: string;
  /** Number of suite episodes to record, from `firstEpisode` on. */
  readonly episodes: number;
  readonly firstEpisode?: number;
  /** Demonstrator (default: the simulator's scripted expert). */
  readonly expert?: NavPolicy;
  /** Skip episodes the demonstrator did not finish successfully (default true). */
  readonly onlySuccessful?: boolean;
  /**
   * Gaussian noise (standard deviations, m/s and rad/s) added to the executed command while the
   * clean expert command is recorded (DART, Laskey et al. 2017): the demonstrations then show
   * how to recover from small drifts, which a learner will make. Seeded, so still deterministic.
   * `correlation` (0 ≤ ρ < 1) makes the noise an AR(1) process, `n ← ρ·n + √(1−ρ²)·σ·ε`, with the
   * same standard deviation: independent noise every 50 ms is mostly filtered out by the robot's
   * acceleration limits, while correlated noise drifts the robot off the path as a learner would.
   */
  readonly noise?: {
    readonly linear: number;
    readonly angular: number;
    readonly seed?: number;
    readonly correlation?: number;
  };
}

/**
 * Demonstrations recorded live in the simulator: the scripted expert drives each episode of a
 * scenario suite and every (observation, action) frame is kept. Deterministic: the same suite and
 * episode range give the same frames, so its version names them.
 */
export class SimDemonstrationReader implements DatasetReader {
  readonly version: string;
  readonly features: Readonly<Record<string, FeatureSpec>> = {
    [OBSERVATION_FEATURE]: { dtype: 'float32', shape: [NAV_OBSERVATION_SIZE] },
    [ACTION_FEATURE]: { dtype: 'float32', shape: [NAV_ACTION_SIZE] },
  };
  readonly #options: SimDemonstrationReaderOptions;
  readonly #suite: ScenarioSuite;

  constructor(options: SimDemonstrationReaderOptions) {
    this.#options = options;
    this.#suite = ScenarioSuite.get(options.suite ?? 'nav-v1/train');
    const first = options.firstEpisode ?? 0;
    const noise = options.noise;
    this.version =
      `sim-expert:${this.#suite.name}@${first}-${first + options.episodes - 1}` +
      (noise === undefined
        ? ''
        : `+noise(${noise.linear},${noise.angular},${noise.seed ?? 0}` +
          `${(noise.correlation ?? 0) === 0 ? '' : `,rho=${noise.correlation}`})`);
  }

  async *episodes(): AsyncGenerator<DatasetEpisode> {
    const env = await NavEnv.create({ variant: this.#suite.variant });
    const expert = this.#options.expert ?? new ScriptedExpert();
    const first = this.#options.firstEpisode ?? 0;
    const noise = this.#options.noise;
    const rng = seededRng(noise?.seed ?? 0);
    const rho = noise?.correlation ?? 0;
    const innovation = Math.sqrt(1 - rho * rho);
    try {
      for (let index = first; index < first + this.#options.episodes; index++) {
        const spec = this.#suite.episode(index);
        expert.reset?.(spec);
        let observation = env.resetEpisode(spec);
        const obs: Float32Array[] = [];
        const act: Float32Array[] = [];
        let success = false;
        let linearNoise = 0;
        let angularNoise = 0;
        for (;;) {
          const action = Float32Array.from(clampNavAction(expert.act(observation, env.state())));
          obs.push(observation);
          act.push(action);
          if (noise !== undefined) {
            linearNoise = rho * linearNoise + innovation * noise.linear * gaussian(rng);
            angularNoise = rho * angularNoise + innovation * noise.angular * gaussian(rng);
          }
          const result = env.step(
            noise === undefined
              ? action
              : clampNavAction([(action[0] as number) + linearNoise, (action[1] as number) + angularNoise]),
          );
          observation = result.observation;
          if (result.terminated || result.truncated) {
            success = result.info.success;
            break;
          }
        }
        if (!success && (this.#options.onlySuccessful ?? true)) continue;
        yield {
          index,
          length: obs.length,
          frames: {
            [OBSERVATION_FEATURE]: concat(obs, obs.length * NAV_OBSERVATION_SIZE),
            [ACTION_FEATURE]: concat(act, act.length * NAV_ACTION_SIZE),
          },
        };
      }
    } finally {
      env.close();
    }
  }
}
