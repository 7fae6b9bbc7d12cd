import type { RobotParams, SensorParams, WorldSpec } from '../world/WorldSpec.js';

/** One seeded episode: everything needed to replay it exactly. */
export interface EpisodeSpec {
  /** `<suite>#<index>`, e.g. `nav-v1/test#17`, or `<variant>@<seed>` for free seeds. */
  readonly id: string;
  /** Scenario variant the episode was drawn from, e.g. `nav-v1/test`. */
  readonly variant: string;
  /** Seed of the world layout and of every noise source in the episode. */
  readonly seed: number;
  readonly world: WorldSpec;
  readonly robot: RobotParams;
  readonly sensors: SensorParams;
  /** Control steps before the episode is truncated. */
  readonly maxSteps: number;
  /** Distance to the goal, metres, at which the episode succeeds. */
  readonly goalTolerance: number;
}
