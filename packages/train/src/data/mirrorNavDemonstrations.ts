import { NAV_ACTION_LAYOUT, NAV_OBSERVATION_LAYOUT, NAV_SCAN_BEAMS } from '@fleetloop/sim';
import type { Demonstrations } from './loadDemonstrations.js';

function offsetOf(name: string): number {
  const slice = NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === name);
  if (slice === undefined)
    throw new Error(`observation layout ${NAV_OBSERVATION_LAYOUT.version} has no slice ${name}`);
  return slice.offset;
}

/**
 * Doubles nav demonstrations with their left–right mirror image: the robot, its 360° scan and
 * the worlds are symmetric about the robot's x axis, so a mirrored frame is as valid a
 * demonstration as the original. Beam k (angle −π + k·2π/64) maps to beam (64 − k) mod 64, the
 * bearing's sine, the yaw rate and the angular command change sign.
 */
export function mirrorNavDemonstrations(data: Demonstrations): Demonstrations {
  const obsSize = NAV_OBSERVATION_LAYOUT.size;
  const actSize = NAV_ACTION_LAYOUT.size;
  const bearingSin = offsetOf('goal_bearing');
  const yawRate = offsetOf('angular_velocity');
  const angularCommand = NAV_ACTION_LAYOUT.slices.find((s) => s.name === 'angular_z')?.offset ?? 1;
  const frames = data.frames * 2;
  const observations = new Float32Array(frames * obsSize);
  const actions = new Float32Array(frames * actSize);
  observations.set(data.observations);
  actions.set(data.actions);
  for (let f = 0; f < data.frames; f++) {
    const src = f * obsSize;
    const dst = (data.frames + f) * obsSize;
    for (let k = 0; k < NAV_SCAN_BEAMS; k++) {
      observations[dst + ((NAV_SCAN_BEAMS - k) % NAV_SCAN_BEAMS)] = data.observations[src + k] as number;
    }
    for (let i = NAV_SCAN_BEAMS; i < obsSize; i++)
      observations[dst + i] = data.observations[src + i] as number;
    observations[dst + bearingSin] = -(data.observations[src + bearingSin] as number);
    observations[dst + yawRate] = -(data.observations[src + yawRate] as number);
    const a = (data.frames + f) * actSize;
    for (let d = 0; d < actSize; d++) actions[a + d] = data.actions[f * actSize + d] as number;
    actions[a + angularCommand] = -(data.actions[f * actSize + angularCommand] as number);
  }
  return { observations, actions, frames, episodes: data.episodes * 2 };
}
