import { describe, expect, it } from 'vitest';
import { NAV_OBSERVATION_SIZE } from '../observation/navLayout.js';
import { NavEnv } from './NavEnv.js';
import { VectorNavEnv } from './VectorNavEnv.js';

describe('VectorNavEnv', () => {
  it('steps every world like a NavEnv on the same episode would', async () => {
    const vec = await VectorNavEnv.create(3, { suite: 'nav-v1/test' });
    vec.reset(7);
    const single = await NavEnv.create();
    const episode = vec.state(1).episode;
    let expected = single.resetEpisode(episode);
    expect(vec.observations.subarray(NAV_OBSERVATION_SIZE, 2 * NAV_OBSERVATION_SIZE)).toEqual(expected);
    const actions = new Float32Array([0.2, 0.5, 0.4, -0.3, 0.1, 0]);
    for (let i = 0; i < 20; i++) {
      vec.step(actions);
      const result = single.step([actions[2] as number, actions[3] as number]);
      expected = result.observation;
      expect(vec.rewards[1]).toBe(Math.fround(result.reward));
    }
    expect(vec.observations.subarray(NAV_OBSERVATION_SIZE, 2 * NAV_OBSERVATION_SIZE)).toEqual(expected);
    vec.close();
    single.close();
  });

  it('auto-resets ended worlds, keeping the final observation and the episode metrics', async () => {
    const vec = await VectorNavEnv.create(2);
    vec.reset(3);
    // Spinning in place never collides and never arrives: both episodes are truncated together.
    const spin = new Float32Array([0, 1.5, 0, 1.5]);
    const maxSteps = vec.state(0).episode.maxSteps;
    for (let i = 0; i < maxSteps - 1; i++) vec.step(spin);
    expect(vec.finished).toEqual([undefined, undefined]);
    vec.step(spin);
    expect(Array.from(vec.truncated)).toEqual([1, 1]);
    expect(vec.finished[0]?.truncated).toBe(true);
    expect(vec.finished[0]?.steps).toBe(maxSteps);
    expect(vec.state(0).step).toBe(0);
    vec.close();
  });

  it('repeats every world bit for bit for the same reset seed', async () => {
    const run = async (seed: number): Promise<Float32Array> => {
      const vec = await VectorNavEnv.create(4, { suite: 'nav-v1/field' });
      vec.reset(seed);
      const actions = new Float32Array([0.4, 0.3, 0.5, -0.2, 0.3, 0.8, 0.5, 0]);
      for (let i = 0; i < 60; i++) vec.step(actions);
      const out = vec.observations.slice();
      vec.close();
      return out;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('rejects an action buffer of the wrong size', async () => {
    const vec = await VectorNavEnv.create(2);
    vec.reset(1);
    expect(() => vec.step(new Float32Array(3))).toThrow(/expected numEnvs x 2 = 4/);
    vec.close();
  });
});
