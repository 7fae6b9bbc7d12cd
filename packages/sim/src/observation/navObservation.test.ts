import { describe, expect, it } from 'vitest';
import { NAV_ACTION_LAYOUT, NAV_OBSERVATION_LAYOUT, NAV_OBSERVATION_SIZE } from './navLayout.js';
import { clampNavAction, navObservation, normalizeAction, scaleNormalizedAction } from './navObservation.js';
import { quaternionFromYaw } from './rosShapes.js';

function odom(x: number, y: number, yaw: number, v = 0, w = 0) {
  return {
    pose: { pose: { position: { x, y, z: 0 }, orientation: quaternionFromYaw(yaw) } },
    twist: { twist: { linear: { x: v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: w } } },
  };
}

function scan(ranges: number[]) {
  return {
    angle_min: -Math.PI,
    angle_increment: (2 * Math.PI) / ranges.length,
    range_min: 0.05,
    range_max: 8,
    ranges,
  };
}

describe('navObservation', () => {
  it('lays out 64 beams, goal distance, bearing sin/cos and velocities as the layout data says', () => {
    const ranges = Array.from({ length: 64 }, (_, i) => 0.5 + i * 0.06);
    const obs = navObservation({
      scan: scan(ranges),
      odom: odom(1, 1, Math.PI / 2, 0.3, -0.4),
      goal: { x: 1, y: 4 },
    });
    expect(obs.length).toBe(NAV_OBSERVATION_SIZE);
    expect(NAV_OBSERVATION_LAYOUT.slices.reduce((n, s) => n + s.size, 0)).toBe(NAV_OBSERVATION_SIZE);
    expect(obs[0]).toBeCloseTo(0.5);
    expect(obs[63]).toBe(4); // 0.5 + 63 * 0.06 = 4.28 m, clipped
    const at = (name: string) => NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === name)?.offset ?? -1;
    expect(obs[at('goal_distance')]).toBeCloseTo(3);
    // Goal straight ahead of a robot facing +y: bearing 0.
    expect(obs[at('goal_bearing')]).toBeCloseTo(0);
    expect(obs[at('goal_bearing') + 1]).toBeCloseTo(1);
    expect(obs[at('linear_velocity')]).toBeCloseTo(0.3);
    expect(obs[at('angular_velocity')]).toBeCloseTo(-0.4);
  });

  it('downsamples a denser scan by taking the minimum per beam and treats invalid rays as no return', () => {
    const ranges = Array.from({ length: 256 }, () => 3);
    ranges[4] = 1.25; // beam 1 covers rays 4..7
    ranges[8] = Number.NaN; // beam 2: NaN counts as range_max, the others are 3 m
    ranges[12] = 0.01; // below range_min: no return
    const obs = navObservation({ scan: scan(ranges), odom: odom(0, 0, 0), goal: { x: 0, y: 0 } });
    expect(obs[0]).toBe(3);
    expect(obs[1]).toBe(1.25);
    expect(obs[2]).toBe(3);
    expect(obs[3]).toBe(3);
    expect(obs[NAV_OBSERVATION_SIZE - 4]).toBe(0);
    expect(obs[NAV_OBSERVATION_SIZE - 3]).toBe(1);
  });
});

describe('actions', () => {
  it('clamps to the layout limits and maps [-1, 1] to physical units and back', () => {
    const [lin, ang] = NAV_ACTION_LAYOUT.slices;
    expect(clampNavAction([9, -9])).toEqual([lin?.max, ang?.min]);
    expect(clampNavAction([Number.NaN, 0.5])).toEqual([0, 0.5]);
    expect(scaleNormalizedAction([1, -1])).toEqual([lin?.max, ang?.min]);
    const back = normalizeAction(scaleNormalizedAction([0.25, 0.5]));
    expect(back[0]).toBeCloseTo(0.25);
    expect(back[1]).toBeCloseTo(0.5);
  });
});
