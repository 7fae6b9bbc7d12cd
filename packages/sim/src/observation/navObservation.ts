import { SimError } from '../SimError.js';
import {
  NAV_ACTION_LAYOUT,
  NAV_GOAL_CLIP_M,
  NAV_OBSERVATION_SIZE,
  NAV_SCAN_BEAMS,
  NAV_SCAN_CLIP_M,
} from './navLayout.js';
import { yawFromQuaternion, type GoalLike, type LaserScanLike, type OdometryLike } from './rosShapes.js';

/** What the `nav` observation is computed from: the latest scan, odometry and goal. */
export interface NavObservationInput {
  readonly scan: LaserScanLike;
  readonly odom: OdometryLike;
  readonly goal: GoalLike;
}

/** A policy action: `[linear m/s, angular rad/s]`. */
export type NavAction = readonly [number, number] | Float32Array | Float64Array;

/**
 * Builds the `nav-obs-v1` observation ({@link NAV_OBSERVATION_LAYOUT}) from ROS-message-shaped
 * inputs. The simulator and the on-robot runtime both call this, so a policy sees the same
 * numbers in training and in the field.
 */
export function navObservation(input: NavObservationInput): Float32Array {
  const out = new Float32Array(NAV_OBSERVATION_SIZE);
  writeNavObservation(out, input);
  return out;
}

/** {@link navObservation} into `out` (at least {@link NAV_OBSERVATION_SIZE} long), allocating nothing. */
export function writeNavObservation(out: Float32Array, input: NavObservationInput): void {
  const { position, orientation } = input.odom.pose.pose;
  const { linear, angular } = input.odom.twist.twist;
  writeScanBeams(out, 0, input.scan.ranges, input.scan.range_min, input.scan.range_max);
  writeNavState(
    out,
    0,
    position.x,
    position.y,
    yawFromQuaternion(orientation),
    linear.x,
    angular.z,
    input.goal.x,
    input.goal.y,
  );
}

/**
 * Writes the 64 scan beams into `out` at `offset` by the layout's downsampling rule. Allocation
 * free, for the simulator's hot path.
 */
export function writeScanBeams(
  out: Float32Array,
  offset: number,
  ranges: ArrayLike<number>,
  rangeMin: number,
  rangeMax: number,
): void {
  const n = ranges.length;
  if (n === 0) {
    throw new SimError(
      'SIM_INVALID_ARGUMENT',
      'LaserScan has no ranges; the nav observation needs at least one ray',
    );
  }
  for (let k = 0; k < NAV_SCAN_BEAMS; k++) {
    const first = Math.floor((k * n) / NAV_SCAN_BEAMS);
    const end = Math.max(Math.floor(((k + 1) * n) / NAV_SCAN_BEAMS), first + 1);
    let beam = Infinity;
    for (let i = first; i < end; i++) {
      let r = ranges[i] as number;
      if (!(r <= rangeMax) || r < rangeMin) r = rangeMax;
      if (r < beam) beam = r;
    }
    out[offset + k] = beam > NAV_SCAN_CLIP_M ? NAV_SCAN_CLIP_M : beam < 0 ? 0 : beam;
  }
}

/** Writes the goal and velocity slices (after the scan) into `out` at `offset`. Allocation free. */
export function writeNavState(
  out: Float32Array,
  offset: number,
  x: number,
  y: number,
  yaw: number,
  linearVelocity: number,
  angularVelocity: number,
  goalX: number,
  goalY: number,
): void {
  const dx = goalX - x;
  const dy = goalY - y;
  const distance = Math.hypot(dx, dy);
  const bearing = distance < 1e-9 ? 0 : Math.atan2(dy, dx) - yaw;
  const base = offset + NAV_SCAN_BEAMS;
  out[base] = clip(distance, 0, NAV_GOAL_CLIP_M);
  out[base + 1] = Math.sin(bearing);
  out[base + 2] = Math.cos(bearing);
  out[base + 3] = clip(linearVelocity, -1, 1);
  out[base + 4] = clip(angularVelocity, -3, 3);
}

/** Clamps an action to the layout's velocity limits; NaN components become 0 (stop). */
export function clampNavAction(action: NavAction): [number, number] {
  const [lin, ang] = NAV_ACTION_LAYOUT.slices;
  const v = action[0] ?? 0;
  const w = action[1] ?? 0;
  return [
    Number.isNaN(v) ? 0 : clip(v, lin?.min ?? 0, lin?.max ?? 0),
    Number.isNaN(w) ? 0 : clip(w, ang?.min ?? 0, ang?.max ?? 0),
  ];
}

/** Maps a bounded network output `u` in [-1, 1]^2 to physical units (see `NAV_ACTION_LAYOUT.scaling`). */
export function scaleNormalizedAction(u: NavAction): [number, number] {
  const out: [number, number] = [0, 0];
  for (const slice of NAV_ACTION_LAYOUT.slices) {
    const value = clip(u[slice.offset] ?? 0, -1, 1);
    out[slice.offset] = (slice.max + slice.min) / 2 + (value * (slice.max - slice.min)) / 2;
  }
  return out;
}

/** Inverse of {@link scaleNormalizedAction}: physical units to [-1, 1]^2 (for imitation targets). */
export function normalizeAction(action: NavAction): [number, number] {
  const out: [number, number] = [0, 0];
  for (const slice of NAV_ACTION_LAYOUT.slices) {
    const value = action[slice.offset] ?? 0;
    out[slice.offset] = clip((2 * value - (slice.max + slice.min)) / (slice.max - slice.min), -1, 1);
  }
  return out;
}

function clip(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}
