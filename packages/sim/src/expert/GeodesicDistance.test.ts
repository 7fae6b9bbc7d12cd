import { describe, expect, it } from 'vitest';
import { partitionedRoom } from '../testing/testWorlds.js';
import type { WorldSpec } from '../world/WorldSpec.js';
import { GeodesicDistance } from './GeodesicDistance.js';
import { OccupancyGrid } from './OccupancyGrid.js';
import { planPath } from './planPath.js';

const RADIUS = 0.18;

describe('GeodesicDistance', () => {
  it('is the straight-line distance where nothing is in the way', () => {
    const world = partitionedRoom();
    const field = new GeodesicDistance(new OccupancyGrid(world, 0.1), world.goal, RADIUS);
    for (const [x, y] of [
      [4, 1],
      [5, 3],
      [3.6, 2.5],
      [5.5, 0.5],
    ] as const) {
      const straight = Math.hypot(world.goal.x - x, world.goal.y - y);
      expect(field.at(x, y)).toBeGreaterThanOrEqual(straight * 0.99);
      expect(field.at(x, y)).toBeLessThanOrEqual(straight * 1.03 + 0.02);
    }
  });

  it('goes around a partition like the planner, and grows as the robot heads into the partition', () => {
    const world = partitionedRoom();
    const field = new GeodesicDistance(new OccupancyGrid(world, 0.1), world.goal, RADIUS);
    const planned = planPath(new OccupancyGrid(world, 0.05), world.start, world.goal, { inflation: RADIUS });
    expect(planned).toBeDefined();
    const fromStart = field.at(world.start.x, world.start.y);
    expect(fromStart).toBeGreaterThan(1.45 * Math.hypot(4, 0));
    expect(Math.abs(fromStart / (planned?.length ?? 0) - 1)).toBeLessThan(0.04);
    // Heading straight at the goal (into the partition) shortens the straight line by 1.6 m but
    // the path by much less.
    expect(fromStart - field.at(2.6, 1)).toBeLessThan(0.9);
  });

  it('is Infinity deep inside an obstacle and where the goal is walled off', () => {
    const world = partitionedRoom();
    const field = new GeodesicDistance(new OccupancyGrid(world, 0.1), world.goal, RADIUS);
    expect(field.at(3, 0.05)).toBe(Infinity);
    const closed: WorldSpec = {
      ...world,
      walls: [...world.walls, { kind: 'box', x: 3, y: 3.5, halfWidth: 0.05, halfHeight: 0.5, angle: 0 }],
    };
    const cut = new GeodesicDistance(new OccupancyGrid(closed, 0.1), closed.goal, RADIUS);
    expect(cut.at(1, 1)).toBe(Infinity);
    expect(cut.at(4.5, 1)).toBeCloseTo(0.5, 1);
  });
});
