import type { GoalLike } from '../observation/rosShapes.js';
import { ObstacleField } from '../world/ObstacleField.js';
import type { WorldSpec } from '../world/WorldSpec.js';

/** The 8-connected grid moves: column step, row step, length in cells. */
export const GRID_NEIGHBOURS: readonly (readonly [number, number, number])[] = [
  [1, 0, 1],
  [-1, 0, 1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 1, Math.SQRT2],
  [1, -1, Math.SQRT2],
  [-1, 1, Math.SQRT2],
  [-1, -1, Math.SQRT2],
];

/**
 * A grid over the world's room holding, per cell, the distance from the cell centre to the
 * nearest static obstacle. A cell is free for a robot when that distance exceeds the robot's
 * inflation radius, so one grid serves every inflation.
 */
export class OccupancyGrid {
  readonly resolution: number;
  readonly columns: number;
  readonly rows: number;
  /** Distance to the nearest static obstacle per cell, row-major, metres. */
  readonly clearance: Float32Array;

  constructor(world: WorldSpec, resolution = 0.05) {
    this.resolution = resolution;
    this.columns = Math.ceil(world.width / resolution);
    this.rows = Math.ceil(world.height / resolution);
    this.clearance = new Float32Array(this.columns * this.rows);
    const field = new ObstacleField([...world.walls, ...world.obstacles]);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.columns; c++) {
        this.clearance[r * this.columns + c] = field.distance((c + 0.5) * resolution, (r + 0.5) * resolution);
      }
    }
  }

  /** Cell index of a point, or -1 outside the grid. */
  cellOf(p: GoalLike): number {
    const c = Math.floor(p.x / this.resolution);
    const r = Math.floor(p.y / this.resolution);
    if (c < 0 || r < 0 || c >= this.columns || r >= this.rows) return -1;
    return r * this.columns + c;
  }

  /** Centre of a cell. */
  centerOf(cell: number): { x: number; y: number } {
    return {
      x: ((cell % this.columns) + 0.5) * this.resolution,
      y: (Math.floor(cell / this.columns) + 0.5) * this.resolution,
    };
  }

  /** Clearance at a point (that of its cell), -Infinity outside the grid. */
  clearanceAt(p: GoalLike): number {
    const cell = this.cellOf(p);
    return cell < 0 ? -Infinity : (this.clearance[cell] as number);
  }

  /** Whether every point of the segment a-b, sampled at half the resolution, keeps `inflation` clearance. */
  segmentFree(a: GoalLike, b: GoalLike, inflation: number): boolean {
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const samples = Math.max(1, Math.ceil(length / (this.resolution / 2)));
    for (let i = 0; i <= samples; i++) {
      const t = i / samples;
      if (this.clearanceAt({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }) <= inflation) return false;
    }
    return true;
  }
}
