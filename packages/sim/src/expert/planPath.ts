import type { GoalLike } from '../observation/rosShapes.js';
import { MinHeap } from './MinHeap.js';
import { GRID_NEIGHBOURS, type OccupancyGrid } from './OccupancyGrid.js';

/** Options of {@link planPath}. */
export interface PlanOptions {
  /** Cells whose clearance is at most this are blocked (robot radius plus margin), metres. */
  readonly inflation: number;
  /**
   * Extra cost for passing near obstacles: a step through a cell with clearance below
   * `inflation + comfort` costs up to `1 + comfortWeight` times its length. 0 plans the shortest path.
   */
  readonly comfort?: number;
  readonly comfortWeight?: number;
}

/** A planned path: waypoints from start to goal, and its length in metres. */
export interface PlannedPath {
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly length: number;
}

/**
 * A* over the 8-connected occupancy grid, then shortcut smoothing (a waypoint is dropped when the
 * straight segment past it keeps the clearance), so the length approximates the true shortest
 * path for the inflated robot. Returns `undefined` when the goal is unreachable.
 */
export function planPath(
  grid: OccupancyGrid,
  start: GoalLike,
  goal: GoalLike,
  options: PlanOptions,
): PlannedPath | undefined {
  const { inflation } = options;
  const comfort = options.comfort ?? 0;
  const comfortWeight = options.comfortWeight ?? 0;
  const startCell = grid.cellOf(start);
  const goalCell = grid.cellOf(goal);
  if (startCell < 0 || goalCell < 0) return undefined;
  const size = grid.columns * grid.rows;
  const g = new Float64Array(size).fill(Infinity);
  const parent = new Int32Array(size).fill(-1);
  const closed = new Uint8Array(size);
  const heap = new MinHeap();
  const goalPoint = grid.centerOf(goalCell);
  const heuristic = (cell: number): number => {
    const dx = Math.abs((cell % grid.columns) - (goalCell % grid.columns));
    const dy = Math.abs(Math.floor(cell / grid.columns) - Math.floor(goalCell / grid.columns));
    return (Math.max(dx, dy) + (Math.SQRT2 - 1) * Math.min(dx, dy)) * grid.resolution;
  };
  // The robot may start or end a little inside the inflation (placed near a wall): those two
  // cells are always allowed, so the planner can leave and reach them.
  const free = (cell: number): boolean =>
    cell === startCell || cell === goalCell || (grid.clearance[cell] as number) > inflation;
  g[startCell] = 0;
  heap.push(startCell, heuristic(startCell));
  while (heap.size > 0) {
    const cell = heap.pop();
    if (cell === goalCell) break;
    if (closed[cell] === 1) continue;
    closed[cell] = 1;
    const col = cell % grid.columns;
    const row = Math.floor(cell / grid.columns);
    for (const [dc, dr, cost] of GRID_NEIGHBOURS) {
      const c = col + dc;
      const r = row + dr;
      if (c < 0 || r < 0 || c >= grid.columns || r >= grid.rows) continue;
      const next = r * grid.columns + c;
      if (closed[next] === 1 || !free(next)) continue;
      const clearance = grid.clearance[next] as number;
      const penalty =
        comfort > 0 && clearance < inflation + comfort
          ? 1 + (comfortWeight * (inflation + comfort - clearance)) / comfort
          : 1;
      const candidate = (g[cell] as number) + cost * grid.resolution * penalty;
      if (candidate < (g[next] as number)) {
        g[next] = candidate;
        parent[next] = cell;
        heap.push(next, candidate + heuristic(next));
      }
    }
  }
  if (parent[goalCell] === -1 && goalCell !== startCell) return undefined;
  const cells: number[] = [];
  for (let cell = goalCell; cell !== -1; cell = parent[cell] as number) cells.push(cell);
  cells.reverse();
  const raw = [{ x: start.x, y: start.y }, ...cells.slice(1, -1).map((c) => grid.centerOf(c)), goalPoint];
  raw[raw.length - 1] = { x: goal.x, y: goal.y };
  const points = shortcut(grid, raw, inflation);
  let length = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a !== undefined && b !== undefined) length += Math.hypot(b.x - a.x, b.y - a.y);
  }
  return { points, length };
}

function shortcut(
  grid: OccupancyGrid,
  raw: readonly { x: number; y: number }[],
  inflation: number,
): { x: number; y: number }[] {
  const first = raw[0];
  if (first === undefined || raw.length <= 2) return [...raw];
  const out = [first];
  let anchor = 0;
  while (anchor < raw.length - 1) {
    let reach = anchor + 1;
    for (let j = raw.length - 1; j > anchor + 1; j--) {
      const a = raw[anchor];
      const b = raw[j];
      if (a !== undefined && b !== undefined && grid.segmentFree(a, b, inflation)) {
        reach = j;
        break;
      }
    }
    const next = raw[reach];
    if (next !== undefined) out.push(next);
    anchor = reach;
  }
  return out;
}
