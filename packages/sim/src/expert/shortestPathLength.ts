import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { OccupancyGrid } from './OccupancyGrid.js';
import { planPath } from './planPath.js';

/**
 * Length of the shortest path a robot of the episode's radius can take from its start into the
 * goal region (within `goalTolerance` of the goal) among the static obstacles, metres: A* on a
 * 5 cm grid, smoothed, less the tolerance. NaN when there is none. The denominator of the
 * path-length ratio.
 */
export function shortestPathLength(episode: EpisodeSpec): number {
  const grid = new OccupancyGrid(episode.world, 0.05);
  const path = planPath(grid, episode.world.start, episode.world.goal, { inflation: episode.robot.radius });
  return path === undefined ? Number.NaN : Math.max(path.length - episode.goalTolerance, 1e-6);
}
