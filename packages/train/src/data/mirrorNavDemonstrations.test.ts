import { initPhysics, NavEnv, NAV_OBSERVATION_SIZE, ScenarioSuite } from '@fleetloop/sim';
import { describe, expect, it } from 'vitest';
import { mirrorNavDemonstrations } from './mirrorNavDemonstrations.js';

describe('mirrorNavDemonstrations', () => {
  it('maps an observation onto what the robot sees in the mirrored world', async () => {
    await initPhysics();
    const env = await NavEnv.create({ variant: 'nav-v1/test' });
    const episode = ScenarioSuite.get('nav-v1/test').episode(3);
    const observation = env.resetEpisode(episode);
    env.close();
    const mirrored = mirrorNavDemonstrations({
      observations: observation,
      actions: Float32Array.from([0.3, 0.7]),
      frames: 1,
      episodes: 1,
    });
    expect(mirrored.frames).toBe(2);
    const m = mirrored.observations.subarray(NAV_OBSERVATION_SIZE);
    expect(m[32]).toBe(observation[32]); // forward beam stays forward
    expect(m[0]).toBe(observation[0]); // backward beam stays backward
    expect(m[16]).toBe(observation[48]); // right (−90°) swaps with left (+90°)
    expect(m[65]).toBe(-(observation[65] as number)); // sin(bearing)
    expect(m[66]).toBe(observation[66]); // cos(bearing)
    expect(Array.from(mirrored.actions.subarray(2))).toEqual([Math.fround(0.3), Math.fround(-0.7)]);
  });
});
