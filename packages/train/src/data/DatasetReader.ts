/** Type and shape of one per-frame feature, as in a LeRobot dataset's `meta/info.json`. */
export interface FeatureSpec {
  readonly dtype: 'float32';
  /** Per-frame shape, e.g. `[69]` for the nav observation. */
  readonly shape: readonly number[];
}

/** One recorded episode: per feature, all its frames row-major (`length × size`). */
export interface DatasetEpisode {
  readonly index: number;
  readonly length: number;
  readonly frames: Readonly<Record<string, Float32Array>>;
}

/**
 * Source of demonstration episodes for imitation learning: LeRobot-v3-layout datasets from the
 * lake, or demonstrations recorded in the simulator. Feature names follow LeRobot
 * (`observation.state`, `action`).
 */
export interface DatasetReader {
  /** `name@version`, recorded as the run's dataset lineage. */
  readonly version: string;
  readonly features: Readonly<Record<string, FeatureSpec>>;
  episodes(): AsyncIterable<DatasetEpisode>;
}

/** Feature name of the policy observation. */
export const OBSERVATION_FEATURE = 'observation.state';
/** Feature name of the commanded action. */
export const ACTION_FEATURE = 'action';
