import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { makeEpisode, NAV_V1_VARIANTS } from '../scenario/variants.js';
import type { WorldSpec } from '../world/WorldSpec.js';

/** The four 10 cm walls around a `width` x `height` m room. */
export function roomWalls(width: number, height: number): WorldSpec['walls'] {
  return [
    { kind: 'box', x: width / 2, y: 0.05, halfWidth: width / 2, halfHeight: 0.05, angle: 0 },
    { kind: 'box', x: width / 2, y: height - 0.05, halfWidth: width / 2, halfHeight: 0.05, angle: 0 },
    { kind: 'box', x: 0.05, y: height / 2, halfWidth: 0.05, halfHeight: height / 2, angle: 0 },
    { kind: 'box', x: width - 0.05, y: height / 2, halfWidth: 0.05, halfHeight: height / 2, angle: 0 },
  ];
}

/**
 * A 6 x 4 m room split at x = 3 by a partition from the floor up to y = 3 (a 0.9 m gap above
 * it); the robot at (1, 1) faces +x, straight at the goal (5, 1) behind the partition.
 */
export function partitionedRoom(): WorldSpec {
  return {
    width: 6,
    height: 4,
    walls: [...roomWalls(6, 4), { kind: 'box', x: 3, y: 1.5, halfWidth: 0.05, halfHeight: 1.5, angle: 0 }],
    obstacles: [],
    movingObstacles: [],
    start: { x: 1, y: 1, theta: 0 },
    goal: { x: 5, y: 1 },
  };
}

/** A `nav-v1/train` episode in `world`, without velocity or scan noise. */
export function noiselessEpisode(id: string, world: WorldSpec): EpisodeSpec {
  const base = makeEpisode(NAV_V1_VARIANTS.get('nav-v1/train')!, 1);
  return {
    ...base,
    id,
    robot: { ...base.robot, velocityNoise: 0 },
    sensors: { ...base.sensors, scanNoise: 0 },
    world,
  };
}
