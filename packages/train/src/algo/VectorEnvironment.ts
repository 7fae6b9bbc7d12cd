/** What PPO needs from an episode that ended (the simulator's episode metrics satisfy it). */
export interface FinishedEpisode {
  readonly success: boolean;
  readonly collision: boolean;
  readonly pathLengthRatio: number;
  readonly totalReward: number;
}

/**
 * A batch of auto-resetting environments with flat buffers, the shape of the simulator's
 * `VectorNavEnv`: after `step`, `rewards`, `terminated`, `truncated` and `finished` describe the
 * step, `observations` holds the next observation (already reset where an episode ended) and
 * `finalObservations` the last observation of episodes that ended.
 */
export interface VectorEnvironment {
  readonly numEnvs: number;
  readonly observationSize: number;
  readonly actionSize: number;
  readonly observations: Float32Array;
  readonly finalObservations: Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finished: readonly (FinishedEpisode | undefined)[];
  reset(seed: number): Float32Array;
  step(actions: Float32Array): void;
}
