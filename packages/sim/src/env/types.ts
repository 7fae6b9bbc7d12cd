import type { NavAction } from '../observation/navObservation.js';
import type { Pose2D } from '../observation/rosShapes.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';

/** Privileged simulator state, for scripted experts, operators and metrics (never for a policy). */
export interface NavState {
  readonly episode: EpisodeSpec;
  readonly pose: Pose2D;
  /** Achieved forward and yaw velocities. */
  readonly linearVelocity: number;
  readonly angularVelocity: number;
  /** Raw LaserScan ranges of the last step (metres; +inf = no return), `episode.sensors.scanRays` long. */
  readonly scan: Float32Array;
  /** Control steps taken in the episode. */
  readonly step: number;
  /** Simulated seconds since the episode started (moving obstacles follow it). */
  readonly time: number;
  /** Smallest distance from the robot's body to any obstacle now, metres. */
  readonly clearance: number;
}

/** What an episode did; `NaN` where a metric does not apply (time to goal of a failed episode). */
export interface EpisodeMetrics {
  readonly episodeId: string;
  readonly success: boolean;
  readonly collision: boolean;
  readonly truncated: boolean;
  readonly steps: number;
  /** Seconds from start to reaching the goal; NaN when the goal was not reached. */
  readonly timeToGoal: number;
  /** Distance travelled, metres. */
  readonly pathLength: number;
  /** Length of the shortest collision-free path (planner, robot radius inflated); NaN when not computed. */
  readonly shortestPathLength: number;
  /** pathLength / shortestPathLength for successful episodes, NaN otherwise. */
  readonly pathLengthRatio: number;
  /** Smallest distance from the robot's body to an obstacle over the episode, metres. */
  readonly minClearance: number;
  readonly totalReward: number;
}

/** Per-step details beside the reward. */
export interface StepInfo {
  readonly success: boolean;
  /** The robot touched an obstacle during this step (Rapier collision event). */
  readonly collision: boolean;
  readonly distanceToGoal: number;
  readonly clearance: number;
  /** Set on the step that ends an episode. */
  readonly episode?: EpisodeMetrics;
}

/** Gym-style step result. */
export interface StepResult {
  readonly observation: Float32Array;
  readonly reward: number;
  /** The episode ended in a terminal state (goal reached or collision). */
  readonly terminated: boolean;
  /** The episode ran out of time. */
  readonly truncated: boolean;
  readonly info: StepInfo;
}

/**
 * A controller evaluated in the simulator. `reset` is called at the start of each episode; `act`
 * gets the policy observation and the privileged state (learned policies use only `observation`).
 */
export interface NavPolicy {
  reset?(episode: EpisodeSpec): void;
  act(observation: Float32Array, state: NavState): NavAction;
}
