import { GeodesicDistance } from '../expert/GeodesicDistance.js';
import { OccupancyGrid } from '../expert/OccupancyGrid.js';
import { writeNavState, writeScanBeams } from '../observation/navObservation.js';
import { hashSeed, SeededRandom } from '../random/SeededRandom.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { SimError } from '../SimError.js';
import { NavWorld } from '../world/NavWorld.js';
import type { EpisodeMetrics, NavState } from './types.js';

/** Reward terms of the `nav` task. */
export const NAV_REWARD = {
  /** Per metre of progress toward the goal (negative when moving away). */
  progress: 1,
  /** Every control step, to favour short episodes. */
  step: -0.01,
  success: 10,
  collision: -10,
} as const;

/**
 * Reward shaping beyond {@link NAV_REWARD}, for reinforcement learning; the defaults leave the
 * reward as it is.
 */
export interface NavRewardOptions {
  /**
   * What progress toward the goal is measured on: the straight line (`euclidean`, default) or the
   * shortest collision-free path among the static obstacles (`geodesic`), which does not pay for
   * heading at the goal into a wall and pays in full only for following a shortest path.
   */
  readonly progress?: 'euclidean' | 'geodesic';
  /** Reward per metre travelled (negative favours short paths; default 0). */
  readonly travel?: number;
  /**
   * Reward per control step per metre of clearance below `clearanceMargin` (negative keeps the
   * robot off obstacles before it touches them; default 0).
   */
  readonly clearance?: number;
  /** Clearance, metres, below which `clearance` applies (default 0.1). */
  readonly clearanceMargin?: number;
}

/** Grid resolution of the geodesic progress field, metres. */
const GEODESIC_RESOLUTION = 0.1;

/**
 * One episode in one world, writing observations into caller-owned buffers. {@link NavEnv} and
 * {@link VectorNavEnv} both run on it, so single and vectorised stepping are the same code.
 */
export class NavSimulation {
  readonly #substeps: number;
  #world: NavWorld | undefined;
  #scan = new Float32Array(0);
  #prevDistance = 0;
  readonly #geodesicProgress: boolean;
  readonly #travelReward: number;
  readonly #clearanceReward: number;
  readonly #clearanceMargin: number;
  #geodesic: GeodesicDistance | undefined;
  #steps = 0;
  #pathLength = 0;
  #minClearance = Infinity;
  #totalReward = 0;
  #timeToGoal = Number.NaN;
  #ended = false;
  /** Results of the last step (fields instead of an object, so stepping allocates nothing). */
  reward = 0;
  terminated = false;
  truncated = false;
  success = false;
  collision = false;
  distanceToGoal = 0;
  clearance = 0;

  constructor(substeps = 2, reward: NavRewardOptions = {}) {
    this.#substeps = substeps;
    for (const key of ['travel', 'clearance', 'clearanceMargin'] as const) {
      const value = reward[key];
      if (value !== undefined && !Number.isFinite(value)) {
        throw new SimError('SIM_INVALID_ARGUMENT', `reward.${key} must be a finite number, got ${value}`);
      }
    }
    if (reward.clearanceMargin !== undefined && reward.clearanceMargin <= 0) {
      throw new SimError(
        'SIM_INVALID_ARGUMENT',
        `reward.clearanceMargin must be positive (metres), got ${reward.clearanceMargin}`,
      );
    }
    this.#geodesicProgress = reward.progress === 'geodesic';
    this.#travelReward = reward.travel ?? 0;
    this.#clearanceReward = reward.clearance ?? 0;
    this.#clearanceMargin = reward.clearanceMargin ?? 0.1;
  }

  get episode(): EpisodeSpec | undefined {
    return this.#world?.episode;
  }

  /** Starts `episode` and writes its first observation into `out` at `offset`. */
  reset(episode: EpisodeSpec, out: Float32Array, offset: number): void {
    this.#world?.free();
    this.#world = new NavWorld(episode, new SeededRandom(hashSeed(episode.seed) ^ 0x2545f491), {
      substeps: this.#substeps,
    });
    if (this.#scan.length !== episode.sensors.scanRays)
      this.#scan = new Float32Array(episode.sensors.scanRays);
    this.#steps = 0;
    this.#pathLength = 0;
    this.#totalReward = 0;
    this.#timeToGoal = Number.NaN;
    this.#ended = false;
    this.reward = 0;
    this.terminated = false;
    this.truncated = false;
    this.success = false;
    this.collision = false;
    this.#geodesic = this.#geodesicProgress
      ? new GeodesicDistance(
          new OccupancyGrid(episode.world, GEODESIC_RESOLUTION),
          episode.world.goal,
          episode.robot.radius,
        )
      : undefined;
    this.#observe(out, offset);
    this.#prevDistance = this.#progressDistance(this.distanceToGoal);
    this.#minClearance = this.clearance;
  }

  /** Applies one action for one control period and writes the next observation. */
  step(linear: number, angular: number, out: Float32Array, offset: number): void {
    const world = this.#requireWorld();
    const x0 = world.x;
    const y0 = world.y;
    this.collision = world.step(linear, angular);
    this.#steps++;
    const travelled = Math.hypot(world.x - x0, world.y - y0);
    this.#pathLength += travelled;
    this.#observe(out, offset);
    if (this.clearance < this.#minClearance) this.#minClearance = this.clearance;
    const episode = world.episode;
    this.success = this.distanceToGoal < episode.goalTolerance;
    if (this.success && Number.isNaN(this.#timeToGoal)) this.#timeToGoal = world.time;
    const distance = this.#progressDistance(this.#prevDistance);
    let reward = NAV_REWARD.progress * (this.#prevDistance - distance) + NAV_REWARD.step;
    if (this.success) reward += NAV_REWARD.success;
    if (this.collision) reward += NAV_REWARD.collision;
    reward += this.#travelReward * travelled;
    if (this.clearance < this.#clearanceMargin) {
      reward += this.#clearanceReward * (this.#clearanceMargin - this.clearance);
    }
    this.#prevDistance = distance;
    this.reward = reward;
    this.#totalReward += reward;
    this.terminated = this.success || this.collision;
    this.truncated = !this.terminated && this.#steps >= episode.maxSteps;
    this.#ended = this.terminated || this.truncated;
  }

  /** Whether the current episode has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Metrics of the episode so far (final once `ended`). */
  metrics(shortestPathLength = Number.NaN): EpisodeMetrics {
    const world = this.#requireWorld();
    return {
      episodeId: world.episode.id,
      success: this.success,
      collision: this.collision,
      truncated: this.truncated,
      steps: this.#steps,
      timeToGoal: this.#timeToGoal,
      pathLength: this.#pathLength,
      shortestPathLength,
      pathLengthRatio: this.success ? this.#pathLength / shortestPathLength : Number.NaN,
      minClearance: this.#minClearance,
      totalReward: this.#totalReward,
    };
  }

  /** Privileged state for experts and operators. */
  state(): NavState {
    const world = this.#requireWorld();
    return {
      episode: world.episode,
      pose: { x: world.x, y: world.y, theta: world.theta },
      linearVelocity: world.linearVelocity,
      angularVelocity: world.angularVelocity,
      scan: this.#scan,
      step: this.#steps,
      time: world.time,
      clearance: this.clearance,
    };
  }

  /** The live world (for renderers and robots). */
  get world(): NavWorld | undefined {
    return this.#world;
  }

  close(): void {
    this.#world?.free();
    this.#world = undefined;
  }

  #observe(out: Float32Array, offset: number): void {
    const world = this.#requireWorld();
    const { sensors, world: spec } = world.episode;
    world.scan(this.#scan);
    writeScanBeams(out, offset, this.#scan, sensors.scanRangeMin, sensors.scanRangeMax);
    writeNavState(
      out,
      offset,
      world.x,
      world.y,
      world.theta,
      world.linearVelocity,
      world.angularVelocity,
      spec.goal.x,
      spec.goal.y,
    );
    this.distanceToGoal = Math.hypot(spec.goal.x - world.x, spec.goal.y - world.y);
    this.clearance = world.clearance();
  }

  /** Distance to the goal progress is measured on; `fallback` where the geodesic field has no value. */
  #progressDistance(fallback: number): number {
    if (this.#geodesic === undefined) return this.distanceToGoal;
    const world = this.#requireWorld();
    const d = this.#geodesic.at(world.x, world.y);
    return d === Infinity ? fallback : d;
  }

  #requireWorld(): NavWorld {
    if (this.#world === undefined) throw notReset();
    return this.#world;
  }
}

function notReset(): SimError {
  return new SimError('SIM_NOT_RESET', 'the environment has no episode: call reset(seed) before step()');
}
