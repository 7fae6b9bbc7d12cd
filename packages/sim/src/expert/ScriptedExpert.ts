import type { NavState, NavPolicy } from '../env/types.js';
import type { Pose2D } from '../observation/rosShapes.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { SimError } from '../SimError.js';
import { movingObstaclePosition, movingObstacleRadius } from '../world/movingObstacle.js';
import { OccupancyGrid } from './OccupancyGrid.js';
import { planPath, type PlannedPath } from './planPath.js';

/** Options of {@link ScriptedExpert}. */
export interface ScriptedExpertOptions {
  /**
   * Clearance beyond the robot radius that the planner keeps where a path allows it, metres
   * (default 0.25); where none does, it plans with 0.07, then with 0.01.
   */
  readonly margin?: number;
  /** Band beyond the margin in which the planner prefers more room, metres (default 0.35). */
  readonly comfort?: number;
  /** Pure-pursuit lookahead along the path, metres (default 0.45). */
  readonly lookahead?: number;
  /** Heading error above which the robot turns in place, radians (default 0.7). */
  readonly turnInPlace?: number;
  /** Yaw-rate command per radian of heading error (default 2.5). */
  readonly headingGain?: number;
  /** Replan when the robot is this far from its path, metres (default 0.5). */
  readonly replanDistance?: number;
}

/** Margin tried when no path keeps the configured one, metres. */
const FALLBACK_MARGIN = 0.07;

/**
 * The demonstrator for `nav`: A* on an occupancy grid of the world's static obstacles (robot
 * inflated, a preference for room to spare), shortcut smoothing, then a pure-pursuit controller
 * that turns in place when the path bends sharply and slows for anything the scan shows ahead.
 * Moving obstacles are predicted from the episode (their paths are known) over 1.5 s; when one
 * would come within reach, the expert stops, backs off or dodges, whichever keeps most room. It
 * uses privileged state (map, pose, obstacle paths), which is why it is an expert and not a policy.
 */
export class ScriptedExpert implements NavPolicy {
  readonly #margin: number;
  readonly #comfort: number;
  readonly #lookahead: number;
  readonly #turnInPlace: number;
  readonly #headingGain: number;
  readonly #replanDistance: number;
  #episode: EpisodeSpec | undefined;
  #grid: OccupancyGrid | undefined;
  #path: PlannedPath | undefined;
  #segment = 0;
  readonly #scratch = { x: 0, y: 0 };

  constructor(options: ScriptedExpertOptions = {}) {
    this.#margin = options.margin ?? 0.25;
    this.#comfort = options.comfort ?? 0.35;
    this.#lookahead = options.lookahead ?? 0.45;
    this.#turnInPlace = options.turnInPlace ?? 0.7;
    this.#headingGain = options.headingGain ?? 2.5;
    this.#replanDistance = options.replanDistance ?? 0.5;
  }

  /** Builds the map of a new episode and plans from its start. */
  reset(episode: EpisodeSpec): void {
    this.#episode = episode;
    this.#grid = new OccupancyGrid(episode.world, 0.05);
    this.#plan(episode.world.start);
  }

  /** The planned path (for display and tests). */
  get path(): PlannedPath | undefined {
    return this.#path;
  }

  act(_observation: Float32Array, state: NavState): [number, number] {
    if (this.#episode?.id !== state.episode.id) this.reset(state.episode);
    return this.actAt(state.pose, state.scan, state.time);
  }

  /**
   * The command for a robot at `pose`, with its raw 360-degree scan when available and the
   * episode time (to predict the moving obstacles; without it they are not avoided).
   */
  actAt(pose: Pose2D, scan?: ArrayLike<number>, timeS?: number): [number, number] {
    const nominal = this.#follow(pose, scan);
    const episode = this.#episode as EpisodeSpec;
    if (timeS === undefined || episode.world.movingObstacles.length === 0) return nominal;
    return this.#avoidMoving(pose, timeS, nominal);
  }

  #follow(pose: Pose2D, scan: ArrayLike<number> | undefined): [number, number] {
    const episode = this.#episode;
    if (episode === undefined)
      throw new SimError('SIM_NOT_RESET', 'ScriptedExpert.actAt() before reset(episode)');
    const { goal } = episode.world;
    const robot = episode.robot;
    const toGoal = Math.hypot(goal.x - pose.x, goal.y - pose.y);
    if (toGoal < episode.goalTolerance * 0.5) return [0, 0];
    if (this.#distanceToPath(pose) > this.#replanDistance) this.#plan(pose);
    const target = this.#lookaheadPoint(pose);
    const error = wrapAngle(Math.atan2(target.y - pose.y, target.x - pose.x) - pose.theta);
    const w = clamp(this.#headingGain * error, -robot.maxAngular, robot.maxAngular);
    if (Math.abs(error) > this.#turnInPlace) return [0, w];
    let v = robot.maxLinear * (1 - (0.6 * Math.abs(error)) / this.#turnInPlace);
    v = Math.min(v, 0.8 * toGoal + 0.05);
    if (scan !== undefined) {
      const free = frontFreeSpace(scan, robot.radius);
      v = Math.min(v, Math.max(0, 1.5 * (free - 0.08)));
    }
    return [v, w];
  }

  /**
   * Keeps the nominal command unless a moving obstacle would come within reach over the next
   * 1.5 s; then picks, among a few velocity pairs, the one that keeps the most room to every
   * moving obstacle (the static map still vetoes) — stopping, backing off or dodging ahead.
   */
  #avoidMoving(pose: Pose2D, timeS: number, nominal: [number, number]): [number, number] {
    const episode = this.#episode as EpisodeSpec;
    const robot = episode.robot;
    const candidates: [number, number][] = [nominal];
    for (const v of [robot.maxLinear, robot.maxLinear / 2, 0, robot.minLinear]) {
      for (const w of [0, nominal[1], robot.maxAngular, -robot.maxAngular]) candidates.push([v, w]);
    }
    const safe = robot.radius + 0.12;
    let best = nominal;
    let bestRoom = -Infinity;
    for (const [i, candidate] of candidates.entries()) {
      const room = this.#predictedRoom(pose, timeS, candidate);
      if (i === 0 && room >= safe) return nominal;
      if (room > bestRoom + 1e-6) {
        bestRoom = room;
        best = candidate;
      }
    }
    return best;
  }

  /**
   * Smallest predicted gap between the body and a moving obstacle over the horizon when driving
   * `action` (from rest-free kinematics, 0.1 s steps); -Infinity when the static map is hit.
   */
  #predictedRoom(pose: Pose2D, timeS: number, action: [number, number]): number {
    const episode = this.#episode as EpisodeSpec;
    const grid = this.#grid as OccupancyGrid;
    const robot = episode.robot;
    const p = this.#scratch;
    let x = pose.x;
    let y = pose.y;
    let theta = pose.theta;
    let room = Infinity;
    const dt = 0.1;
    for (let t = dt; t <= 1.5 + 1e-9; t += dt) {
      theta += action[1] * dt;
      x += action[0] * Math.cos(theta) * dt;
      y += action[0] * Math.sin(theta) * dt;
      if (grid.clearanceAt({ x, y }) <= robot.radius + 0.02) return -Infinity;
      for (const m of episode.world.movingObstacles) {
        movingObstaclePosition(m, timeS + t, p);
        const gap = Math.hypot(p.x - x, p.y - y) - movingObstacleRadius(m);
        if (gap < room) room = gap;
      }
    }
    return room;
  }

  #plan(from: Pose2D): void {
    const episode = this.#episode;
    const grid = this.#grid;
    if (episode === undefined || grid === undefined) return;
    // The wide margin keeps demonstrations centred in doorways and gaps (smoothing cuts corners
    // down to the margin, and a learner imitating a wall-hugging path clips the jambs); where
    // only a tighter squeeze leads to the goal, the margin shrinks.
    const radius = episode.robot.radius;
    this.#path = undefined;
    const margins = this.#margin > FALLBACK_MARGIN ? [this.#margin, FALLBACK_MARGIN] : [this.#margin];
    for (const margin of margins) {
      this.#path = planPath(grid, from, episode.world.goal, {
        inflation: radius + margin,
        comfort: this.#comfort,
        comfortWeight: 3,
      });
      if (this.#path !== undefined) break;
    }
    this.#path ??= planPath(grid, from, episode.world.goal, { inflation: radius + 0.01 });
    this.#segment = 0;
  }

  #distanceToPath(pose: Pose2D): number {
    const points = this.#path?.points;
    if (points === undefined || points.length < 2) return Infinity;
    let best = Infinity;
    let bestSegment = this.#segment;
    for (let i = this.#segment; i < points.length - 1; i++) {
      const d = segmentDistance(pose, points[i] ?? pose, points[i + 1] ?? pose);
      if (d < best - 1e-9) {
        best = d;
        bestSegment = i;
      }
    }
    this.#segment = bestSegment;
    return best;
  }

  #lookaheadPoint(pose: Pose2D): { x: number; y: number } {
    const episode = this.#episode as EpisodeSpec;
    const points = this.#path?.points;
    if (points === undefined || points.length < 2) return episode.world.goal;
    const a = points[this.#segment] ?? pose;
    const b = points[this.#segment + 1] ?? episode.world.goal;
    const t = projection(pose, a, b);
    let remaining = this.#lookahead + Math.hypot(b.x - a.x, b.y - a.y) * t;
    for (let i = this.#segment; i < points.length - 1; i++) {
      const p = points[i] as { x: number; y: number };
      const q = points[i + 1] as { x: number; y: number };
      const length = Math.hypot(q.x - p.x, q.y - p.y);
      if (remaining <= length) {
        const f = length === 0 ? 0 : remaining / length;
        return { x: p.x + (q.x - p.x) * f, y: p.y + (q.y - p.y) * f };
      }
      remaining -= length;
    }
    return episode.world.goal;
  }
}

/** Free distance ahead of the body: the shortest ray within 35 degrees of forward, minus the radius. */
function frontFreeSpace(scan: ArrayLike<number>, radius: number): number {
  const n = scan.length;
  const half = Math.max(1, Math.round((35 / 360) * n));
  let best = Infinity;
  for (let k = -half; k <= half; k++) {
    const r = scan[(n / 2 + k + n) % n] as number;
    if (r < best) best = r;
  }
  return best - radius;
}

function projection(
  p: { x: number; y: number },
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  return len2 === 0 ? 0 : clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0, 1);
}

function segmentDistance(
  p: { x: number; y: number },
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const t = projection(p, a, b);
  return Math.hypot(p.x - a.x - t * (b.x - a.x), p.y - a.y - t * (b.y - a.y));
}

function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
