import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NAV_OBSERVATION_LAYOUT, NAV_OBSERVATION_SIZE } from '../observation/navLayout.js';
import { noiselessEpisode, roomWalls } from '../testing/testWorlds.js';
import { trajectoryDigest } from '../testing/trajectoryDigest.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { NavEnv } from './NavEnv.js';

const offsetOf = (name: string): number =>
  NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === name)?.offset ?? -1;

/** A bare room with the robot at (2, 2) facing +x toward a wall at x = 4. */
function wallAhead(): EpisodeSpec {
  return noiselessEpisode('wall-ahead', {
    width: 4,
    height: 4,
    walls: roomWalls(4, 4),
    obstacles: [],
    movingObstacles: [],
    start: { x: 2, y: 2, theta: 0 },
    goal: { x: 0.6, y: 3.4 },
  });
}

describe('NavEnv', () => {
  it('observes the scan in metres: the wall 1.9 m ahead is beam 32, behind is 1.9 m too', async () => {
    const env = await NavEnv.create();
    const obs = env.resetEpisode(wallAhead());
    expect(obs.length).toBe(NAV_OBSERVATION_SIZE);
    expect(obs[32]).toBeCloseTo(1.9, 3);
    expect(obs[0]).toBeCloseTo(1.9, 3);
    expect(obs[16]).toBeCloseTo(1.9, 3); // beam 16 faces -90 degrees (right)
    expect(obs[offsetOf('goal_distance')]).toBeCloseTo(Math.hypot(1.4, 1.4), 4);
    env.close();
  });

  it('drives forward under latency and acceleration limits, and ends the episode on hitting the wall', async () => {
    const env = await NavEnv.create();
    env.resetEpisode(wallAhead());
    const first = env.step([0.5, 0]);
    expect(first.observation[offsetOf('linear_velocity')]).toBe(0); // one step of actuation latency
    let last = env.step([0.5, 0]);
    // 1 m/s^2 for one 50 ms period.
    expect(last.observation[offsetOf('linear_velocity')]).toBeCloseTo(0.05, 3);
    for (let steps = 2; !last.terminated && !last.truncated && steps < 200; steps++) {
      last = env.step([0.5, 0]);
    }
    expect(last.terminated).toBe(true);
    expect(last.info.collision).toBe(true);
    expect(last.info.episode?.collision).toBe(true);
    expect(last.info.episode?.success).toBe(false);
    expect(last.reward).toBeLessThan(-5);
    expect(env.state().pose.x).toBeGreaterThan(3.6);
    env.close();
  });

  it('gives one trajectory per seed, bit for bit, and another for another seed', async () => {
    const a = await trajectoryDigest(11, 150);
    expect(await trajectoryDigest(11, 150)).toBe(a);
    expect(await trajectoryDigest(12, 150)).not.toBe(a);
  });

  it('gives the same trajectory in a separate process', { timeout: 60_000 }, async () => {
    const script = fileURLToPath(new URL('../testing/trajectoryDigest.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions=@fleetloop/source', script, '21', '120'],
      { cwd: fileURLToPath(new URL('../../../..', import.meta.url)) },
    );
    expect(stdout.trim()).toBe(await trajectoryDigest(21, 120));
  });

  it('rejects a step before reset', async () => {
    const env = await NavEnv.create();
    expect(() => env.step([0, 0])).toThrow(/reset\(seed\) before step/);
  });
});
