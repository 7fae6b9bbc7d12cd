import { validatePolicyContract } from '@fleetloop/registry';
import { describe, expect, it } from 'vitest';
import { ActionMapper } from '../action/ActionMapper.js';
import { diffDriveContract } from '../testing/contracts.js';
import { interventionReasons, SafetyFilter, type SafetyLimits } from './SafetyFilter.js';

const mapper = new ActionMapper(validatePolicyContract(diffDriveContract()));
const limits: SafetyLimits = {
  maxLinearVelocity: 0.4,
  maxAngularVelocity: 1,
  maxLinearAcceleration: 1,
  maxAngularAcceleration: 10,
  minClearanceM: 0.3,
  clearanceHalfAngleRad: Math.PI / 4,
};

/** A 360° scan of `n` rays, all at `far` metres except the given ones. */
function scan(n: number, far: number, near: Record<number, number> = {}) {
  const ranges = Float32Array.from({ length: n }, (_, i) => near[i] ?? far);
  return { angle_min: -Math.PI, angle_increment: (2 * Math.PI) / n, range_min: 0.05, ranges };
}

function run(
  filter: SafetyFilter,
  command: number[],
  input: Partial<Parameters<SafetyFilter['apply']>[1]> = {},
) {
  const values = Float64Array.from(command);
  const mask = filter.apply(values, { stop: undefined, scan: undefined, dtS: 0, ...input });
  return { values: [...values], reasons: interventionReasons(mask) };
}

describe('SafetyFilter', () => {
  it('clamps velocities and their rate of change, and counts each as an intervention', () => {
    const filter = new SafetyFilter(mapper.components, limits);
    expect(run(filter, [0.45, -2])).toEqual({ values: [0.4, -1], reasons: ['velocity_limit'] });
    // From 0.4 m/s, 0.1 s at 1 m/s² allows 0.3 m/s at most.
    const slowed = run(filter, [0, -1], { dtS: 0.1 });
    expect(slowed.values[0]).toBeCloseTo(0.3);
    expect(slowed.reasons).toEqual(['acceleration_limit']);
    expect(run(filter, [0.3, -1], { dtS: 0.1 }).reasons).toEqual([]);
  });

  it('stops on NaN or infinite outputs and on stop reasons found before the model ran', () => {
    const filter = new SafetyFilter(mapper.components, limits);
    expect(run(filter, [Number.NaN, 0.2])).toEqual({ values: [0, 0], reasons: ['non_finite_action'] });
    expect(run(filter, [0.1, Number.POSITIVE_INFINITY]).reasons).toEqual(['non_finite_action']);
    expect(run(filter, [0.1, 0.2], { stop: 'estop' })).toEqual({ values: [0, 0], reasons: ['estop'] });
    expect(run(filter, [0.1, 0.2], { stop: 'stale_observation' }).reasons).toEqual(['stale_observation']);
  });

  it('blocks forward motion when an obstacle ahead is closer than the minimum clearance, but allows turning and reversing', () => {
    const filter = new SafetyFilter(mapper.components, limits);
    // Ray 180 of 360 faces forward (angle 0).
    const blocked = scan(360, 3, { 180: 0.2 });
    expect(run(filter, [0.3, 0.5], { scan: blocked })).toEqual({ values: [0, 0.5], reasons: ['clearance'] });
    expect(run(filter, [-0.1, 0.5], { scan: blocked }).reasons).toEqual([]);
    // An obstacle behind the robot (ray 0 faces backwards) does not block forward motion.
    expect(run(filter, [0.3, 0], { scan: scan(360, 3, { 0: 0.1 }) }).reasons).toEqual([]);
    // Readings below range_min are no return.
    expect(run(filter, [0.3, 0], { scan: scan(360, 3, { 180: 0.01 }) }).reasons).toEqual([]);
  });
});
