import type { CommandComponent } from '../action/ActionMapper.js';
import { INTERVENTION_REASONS, type InterventionReason } from './Intervention.js';

/** Limits of the safety filter; each unset limit is not enforced. */
export interface SafetyLimits {
  /** m/s, absolute value of every linear velocity component. */
  readonly maxLinearVelocity?: number | undefined;
  /** rad/s, absolute value of every angular velocity component. */
  readonly maxAngularVelocity?: number | undefined;
  /** m/s², change of a linear component per second. */
  readonly maxLinearAcceleration?: number | undefined;
  /** rad/s², change of an angular component per second. */
  readonly maxAngularAcceleration?: number | undefined;
  /** Forward motion is blocked when the nearest return ahead is closer than this (metres); 0 disables. */
  readonly minClearanceM: number;
  /** Half-angle of the sector counted as "ahead", radians. */
  readonly clearanceHalfAngleRad: number;
}

/** What the filter knows about this step besides the command. */
export interface SafetyInput {
  /** Stop reasons found before the command was computed (e-stop, stale data, deadline, model error). */
  readonly stop: InterventionReason | undefined;
  /** The latest LaserScan-shaped message, for the clearance check. */
  readonly scan: unknown;
  /** Seconds since the previous published command (for the acceleration limits). */
  readonly dtS: number;
}

/** Interventions of one step: a bit per {@link InterventionReason}, in {@link INTERVENTION_REASONS} order. */
export type InterventionMask = number;

/** Bit of one reason in an {@link InterventionMask}. */
export function interventionBit(reason: InterventionReason): number {
  return 1 << INTERVENTION_REASONS.indexOf(reason);
}

/** The reasons set in a mask. */
export function interventionReasons(mask: InterventionMask): InterventionReason[] {
  return INTERVENTION_REASONS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/**
 * The last word on every command, independent of the model: stops the robot on e-stop, stale or
 * invalid observations, non-finite model outputs and deadline trouble; blocks forward motion when
 * the scan shows an obstacle closer than the minimum clearance ahead; clamps velocities and their
 * rate of change. It keeps the previously published command to limit acceleration.
 */
export class SafetyFilter {
  readonly #components: readonly CommandComponent[];
  readonly #limits: SafetyLimits;
  readonly #previous: Float64Array;

  constructor(components: readonly CommandComponent[], limits: SafetyLimits) {
    this.#components = components;
    this.#limits = limits;
    this.#previous = new Float64Array(components.length);
  }

  /** The last command the filter let through. */
  get previous(): Readonly<Float64Array> {
    return this.#previous;
  }

  /**
   * Filters `command` in place and returns the interventions made (0 when none). A stop sets every
   * component to zero.
   */
  apply(command: Float64Array, input: SafetyInput): InterventionMask {
    let mask = 0;
    let stop = input.stop;
    if (stop === undefined) {
      for (let i = 0; i < command.length; i++) {
        if (!Number.isFinite(command[i])) {
          stop = 'non_finite_action';
          break;
        }
      }
    }
    if (stop !== undefined) {
      command.fill(0);
      mask |= interventionBit(stop);
    } else {
      mask |= this.#clearance(command, input.scan);
      mask |= this.#velocity(command);
      mask |= this.#acceleration(command, input.dtS);
    }
    this.#previous.set(command);
    return mask;
  }

  /** Sets the acceleration reference, e.g. to the last command of the filter a swap replaces. */
  seed(previous: ArrayLike<number>): void {
    if (previous.length === this.#previous.length) this.#previous.set(previous);
  }

  #clearance(command: Float64Array, scan: unknown): number {
    const { minClearanceM, clearanceHalfAngleRad } = this.#limits;
    if (minClearanceM <= 0) return 0;
    let forward = false;
    this.#components.forEach((c, i) => {
      if (c.role === 'linear' && c.field.endsWith('linear.x') && (command[i] as number) > 0) forward = true;
    });
    if (!forward) return 0;
    const nearest = nearestAhead(scan, clearanceHalfAngleRad);
    if (nearest === undefined || nearest >= minClearanceM) return 0;
    this.#components.forEach((c, i) => {
      if (c.role === 'linear' && c.field.endsWith('linear.x') && (command[i] as number) > 0) command[i] = 0;
    });
    return interventionBit('clearance');
  }

  #velocity(command: Float64Array): number {
    let clamped = false;
    this.#components.forEach((c, i) => {
      const limit =
        c.role === 'linear'
          ? this.#limits.maxLinearVelocity
          : c.role === 'angular'
            ? this.#limits.maxAngularVelocity
            : undefined;
      if (limit === undefined) return;
      const v = command[i] as number;
      if (v > limit || v < -limit) {
        command[i] = v > 0 ? limit : -limit;
        clamped = true;
      }
    });
    return clamped ? interventionBit('velocity_limit') : 0;
  }

  #acceleration(command: Float64Array, dtS: number): number {
    if (!(dtS > 0)) return 0;
    let clamped = false;
    this.#components.forEach((c, i) => {
      const limit =
        c.role === 'linear'
          ? this.#limits.maxLinearAcceleration
          : c.role === 'angular'
            ? this.#limits.maxAngularAcceleration
            : undefined;
      if (limit === undefined) return;
      const previous = this.#previous[i] as number;
      const maxStep = limit * dtS;
      const delta = (command[i] as number) - previous;
      // A small tolerance so rounding in dt does not count as an intervention.
      if (Math.abs(delta) > maxStep * (1 + 1e-9)) {
        command[i] = previous + Math.sign(delta) * maxStep;
        clamped = true;
      }
    });
    return clamped ? interventionBit('acceleration_limit') : 0;
  }
}

/** Nearest valid return within ±halfAngle of straight ahead, from a LaserScan-shaped message. */
function nearestAhead(scan: unknown, halfAngle: number): number | undefined {
  if (typeof scan !== 'object' || scan === null) return undefined;
  const s = scan as { angle_min?: unknown; angle_increment?: unknown; range_min?: unknown; ranges?: unknown };
  if (typeof s.angle_min !== 'number' || typeof s.angle_increment !== 'number') return undefined;
  const ranges = s.ranges as ArrayLike<number> | undefined;
  if (ranges === undefined || typeof ranges.length !== 'number') return undefined;
  const rangeMin = typeof s.range_min === 'number' ? s.range_min : 0;
  let nearest: number | undefined;
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < ranges.length; i++) {
    const raw = s.angle_min + i * s.angle_increment;
    // Into (-π, π] without trigonometry: this runs for every ray at every step.
    const angle = raw - twoPi * Math.round(raw / twoPi);
    if (angle > halfAngle || angle < -halfAngle) continue;
    const r = ranges[i] as number;
    if (!(r >= rangeMin) || r === Number.POSITIVE_INFINITY) continue;
    if (nearest === undefined || r < nearest) nearest = r;
  }
  return nearest;
}
