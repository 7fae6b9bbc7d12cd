import { NAV_ACTION_LAYOUT } from '../observation/navLayout.js';
import { SeededRandom } from '../random/SeededRandom.js';
import type { RobotParams, SensorParams } from '../world/WorldSpec.js';
import type { EpisodeSpec } from './EpisodeSpec.js';
import { generateWorld, type WorldGenParams } from './generateWorld.js';

/** A family of episodes: how worlds are drawn, and the robot and sensors in them. */
export interface ScenarioVariant {
  /** e.g. `nav-v1/train`. */
  readonly name: string;
  readonly description: string;
  readonly world: WorldGenParams;
  readonly robot: RobotParams;
  readonly sensors: SensorParams;
  readonly maxSteps: number;
  readonly goalTolerance: number;
}

const [LINEAR, ANGULAR] = NAV_ACTION_LAYOUT.slices;

/** The simulated robot in `nav-v1`: a 0.36 m disc with the layout's velocity limits. */
export const NAV_V1_ROBOT: RobotParams = {
  radius: 0.18,
  maxLinear: LINEAR?.max ?? 0.5,
  minLinear: LINEAR?.min ?? -0.2,
  maxAngular: ANGULAR?.max ?? 1.5,
  linearAcceleration: NAV_ACTION_LAYOUT.accelerationLimits.linear,
  angularAcceleration: NAV_ACTION_LAYOUT.accelerationLimits.angular,
  latencySteps: 1,
  velocityScale: 1,
  velocityNoise: 0.02,
};

/** The LaserScan in `nav-v1`: 64 rays over 360 degrees, 6 m range, 1 cm noise. */
export const NAV_V1_SENSORS: SensorParams = {
  scanRays: 64,
  scanRangeMin: 0.05,
  scanRangeMax: 6,
  scanNoise: 0.01,
  scanDropout: 0,
};

const NAV_V1_WORLD: WorldGenParams = {
  width: 8,
  height: 8,
  partitions: [0, 1],
  doorway: 1.1,
  obstacles: [4, 8],
  obstacleSize: 0.4,
  movingObstacles: [0, 0],
  movingSpeed: [0, 0],
  minStartGoalDistance: 4,
  spawnClearance: 0.45,
  solvableInflation: 0.3,
};

const nav = (name: string, description: string, overrides: Partial<ScenarioVariant>): ScenarioVariant => ({
  name,
  description,
  world: NAV_V1_WORLD,
  robot: NAV_V1_ROBOT,
  sensors: NAV_V1_SENSORS,
  maxSteps: 900,
  goalTolerance: 0.25,
  ...overrides,
});

/** Every variant of scenario version `nav-v1`, by name. */
export const NAV_V1_VARIANTS: ReadonlyMap<string, ScenarioVariant> = new Map(
  [
    nav(
      'nav-v1/train',
      'Training worlds: 8x8 m room, up to one partition with a doorway, 4-8 static obstacles.',
      {},
    ),
    nav(
      'nav-v1/val',
      'Validation worlds drawn like nav-v1/train from a disjoint seed range (model selection, early stopping).',
      {},
    ),
    nav('nav-v1/test', 'Held-out worlds drawn like nav-v1/train from a disjoint seed range.', {}),
    nav('nav-v1/hard', 'Harder: 10x10 m, one or two partitions with narrower doorways, 10-16 obstacles.', {
      world: {
        ...NAV_V1_WORLD,
        width: 10,
        height: 10,
        partitions: [1, 2],
        doorway: 0.9,
        obstacles: [10, 16],
      },
      maxSteps: 1400,
    }),
    nav('nav-v1/dynamic', 'Harder: nav-v1 rooms with 2-3 discs moving back and forth at 0.15-0.35 m/s.', {
      world: { ...NAV_V1_WORLD, obstacles: [3, 6], movingObstacles: [2, 3], movingSpeed: [0.15, 0.35] },
    }),
    nav(
      'nav-v1/field',
      'Stands for the real fleet: nav-v1 worlds, noisier scans with dropouts, slip and more latency.',
      {
        robot: {
          ...NAV_V1_ROBOT,
          latencySteps: 3,
          velocityScale: 0.9,
          velocityNoise: 0.06,
          linearAcceleration: 0.6,
          angularAcceleration: 2.5,
        },
        sensors: { ...NAV_V1_SENSORS, scanNoise: 0.03, scanDropout: 0.03 },
      },
    ),
  ].map((v) => [v.name, v]),
);

/** The episode a variant yields for a seed; a pure function of both. */
export function makeEpisode(
  variant: ScenarioVariant,
  seed: number,
  id = `${variant.name}@${seed}`,
): EpisodeSpec {
  return {
    id,
    variant: variant.name,
    seed,
    world: generateWorld(variant.world, new SeededRandom(seed)),
    robot: variant.robot,
    sensors: variant.sensors,
    maxSteps: variant.maxSteps,
    goalTolerance: variant.goalTolerance,
  };
}
