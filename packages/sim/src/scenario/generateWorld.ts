import { OccupancyGrid } from '../expert/OccupancyGrid.js';
import { planPath } from '../expert/planPath.js';
import type { SeededRandom } from '../random/SeededRandom.js';
import { SimError } from '../SimError.js';
import { ObstacleField } from '../world/ObstacleField.js';
import type { BoxShape, MovingObstacle, ObstacleShape, WorldSpec } from '../world/WorldSpec.js';

/** How a family of worlds is drawn. Ranges are inclusive `[min, max]`. */
export interface WorldGenParams {
  /** Room size, metres. */
  readonly width: number;
  readonly height: number;
  /** Interior walls crossing the room, each with one doorway. */
  readonly partitions: readonly [number, number];
  /** Doorway width, metres. */
  readonly doorway: number;
  /** Static boxes and discs. */
  readonly obstacles: readonly [number, number];
  /** Largest half extent (box) or radius (disc) of a static obstacle, metres. */
  readonly obstacleSize: number;
  /** Obstacles moving back and forth along a segment. */
  readonly movingObstacles: readonly [number, number];
  readonly movingSpeed: readonly [number, number];
  /** Start and goal are at least this far apart, metres. */
  readonly minStartGoalDistance: number;
  /** Start and goal keep this much free space around the robot's body, metres. */
  readonly spawnClearance: number;
  /** A world is kept only if a path exists for a robot inflated by this radius, metres. */
  readonly solvableInflation: number;
}

const WALL = 0.05;
const MAX_ATTEMPTS = 200;

/**
 * Draws one world from `rng`: boundary walls, partitions with doorways, obstacles, start, goal
 * and moving obstacles. Worlds without a collision-free path for the inflated robot are redrawn
 * from the same stream, so the result is still a pure function of the seed.
 */
export function generateWorld(params: WorldGenParams, rng: SeededRandom): WorldSpec {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const world = drawWorld(params, rng);
    if (world === undefined) continue;
    const grid = new OccupancyGrid(world, 0.1);
    if (planPath(grid, world.start, world.goal, { inflation: params.solvableInflation }) !== undefined) {
      return world;
    }
  }
  throw new SimError(
    'SIM_INVALID_ARGUMENT',
    `no solvable world in ${MAX_ATTEMPTS} draws for ${params.width}x${params.height} m with ` +
      `${params.obstacles[1]} obstacles; lower obstacles or solvableInflation`,
  );
}

function drawWorld(p: WorldGenParams, rng: SeededRandom): WorldSpec | undefined {
  const { width: w, height: h } = p;
  const walls: BoxShape[] = [
    box(w / 2, WALL, w / 2, WALL),
    box(w / 2, h - WALL, w / 2, WALL),
    box(WALL, h / 2, WALL, h / 2),
    box(w - WALL, h / 2, WALL, h / 2),
  ];
  const partitions = rng.int(p.partitions[0], p.partitions[1]);
  for (let i = 0; i < partitions; i++) {
    const vertical = rng.next() < 0.5;
    const span = vertical ? h : w;
    const across = vertical ? w : h;
    const at = rng.uniform(across * 0.3, across * 0.7);
    const door = rng.uniform(0.6, span - 0.6 - p.doorway);
    const pieces: [number, number][] = [
      [0, door],
      [door + p.doorway, span],
    ];
    for (const [a, b] of pieces) {
      if (b - a < 0.05) continue;
      const mid = (a + b) / 2;
      const half = (b - a) / 2;
      walls.push(vertical ? box(at, mid, WALL, half) : box(mid, at, half, WALL));
    }
  }
  const obstacles: ObstacleShape[] = [];
  const count = rng.int(p.obstacles[0], p.obstacles[1]);
  for (let i = 0; i < count; i++) {
    const x = rng.uniform(0.5, w - 0.5);
    const y = rng.uniform(0.5, h - 0.5);
    if (rng.next() < 0.5) {
      obstacles.push({ kind: 'circle', x, y, radius: rng.uniform(0.12, p.obstacleSize) });
    } else {
      obstacles.push({
        kind: 'box',
        x,
        y,
        halfWidth: rng.uniform(0.1, p.obstacleSize),
        halfHeight: rng.uniform(0.1, p.obstacleSize),
        angle: rng.uniform(0, Math.PI),
      });
    }
  }
  const field = new ObstacleField([...walls, ...obstacles]);
  const spawn = (): { x: number; y: number } | undefined => {
    for (let i = 0; i < 100; i++) {
      const candidate = { x: rng.uniform(0.4, w - 0.4), y: rng.uniform(0.4, h - 0.4) };
      if (field.distance(candidate.x, candidate.y) > p.spawnClearance) return candidate;
    }
    return undefined;
  };
  const start = spawn();
  if (start === undefined) return undefined;
  let goal: { x: number; y: number } | undefined;
  for (let i = 0; i < 50 && goal === undefined; i++) {
    const candidate = spawn();
    if (
      candidate !== undefined &&
      Math.hypot(candidate.x - start.x, candidate.y - start.y) >= p.minStartGoalDistance
    ) {
      goal = candidate;
    }
  }
  if (goal === undefined) return undefined;
  const movingObstacles: MovingObstacle[] = [];
  const moving = rng.int(p.movingObstacles[0], p.movingObstacles[1]);
  for (let i = 0; i < moving; i++) {
    const from = spawn();
    const to = spawn();
    if (from === undefined || to === undefined) return undefined;
    const keepsAway = (q: { x: number; y: number }): boolean => distanceToSegment(q, from, to) > 1.0;
    if (!keepsAway(start) || !keepsAway(goal)) continue;
    movingObstacles.push({
      shape: { kind: 'circle', x: from.x, y: from.y, radius: rng.uniform(0.15, 0.25) },
      to,
      speed: rng.uniform(p.movingSpeed[0], p.movingSpeed[1]),
    });
  }
  return {
    width: w,
    height: h,
    walls,
    obstacles,
    movingObstacles,
    start: { x: start.x, y: start.y, theta: rng.uniform(-Math.PI, Math.PI) },
    goal,
  };
}

function box(x: number, y: number, halfWidth: number, halfHeight: number): BoxShape {
  return { kind: 'box', x, y, halfWidth, halfHeight, angle: 0 };
}

function distanceToSegment(
  q: { x: number; y: number },
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((q.x - a.x) * dx + (q.y - a.y) * dy) / len2));
  return Math.hypot(q.x - a.x - t * dx, q.y - a.y - t * dy);
}
