import { NAV_ACTION_SIZE, NAV_OBSERVATION_LAYOUT, NAV_OBSERVATION_SIZE } from '@fleetloop/sim';
import { describe, expect, it } from 'vitest';
import { ACTION_FEATURE, OBSERVATION_FEATURE } from './DatasetReader.js';
import { SimDemonstrationReader } from './SimDemonstrationReader.js';

const yawRate = NAV_OBSERVATION_LAYOUT.slices.find((s) => s.name === 'angular_velocity')?.offset ?? 68;

/** Mean |measured yaw rate − recorded expert yaw-rate command| over the first episode. */
async function yawDeviation(correlation: number): Promise<number> {
  const reader = new SimDemonstrationReader({
    episodes: 1,
    noise: { linear: 0.1, angular: 0.5, seed: 3, correlation },
  });
  for await (const episode of reader.episodes()) {
    const obs = episode.frames[OBSERVATION_FEATURE] as Float32Array;
    const act = episode.frames[ACTION_FEATURE] as Float32Array;
    let sum = 0;
    for (let t = 1; t < episode.length; t++) {
      sum += Math.abs(
        (obs[t * NAV_OBSERVATION_SIZE + yawRate] as number) - (act[(t - 1) * NAV_ACTION_SIZE + 1] as number),
      );
    }
    return sum / (episode.length - 1);
  }
  throw new Error('the expert did not finish episode 0');
}

describe('SimDemonstrationReader', () => {
  it('names correlated noise in the dataset version and leaves independent noise named as before', () => {
    const plain = new SimDemonstrationReader({ episodes: 100, noise: { linear: 0.2, angular: 0.8 } });
    const ar = new SimDemonstrationReader({
      episodes: 100,
      noise: { linear: 0.1, angular: 0.5, correlation: 0.9 },
    });
    expect(plain.version).toBe('sim-expert:nav-v1/train@0-99+noise(0.2,0.8,0)');
    expect(ar.version).toBe('sim-expert:nav-v1/train@0-99+noise(0.1,0.5,0,rho=0.9)');
  });

  it('correlated command noise turns the robot away from the expert command more than independent noise', async () => {
    // Independent noise every 50 ms is smoothed away by the 4 rad/s² acceleration limit; AR(1)
    // noise of the same standard deviation persists long enough to turn the robot.
    const independent = await yawDeviation(0);
    const correlated = await yawDeviation(0.9);
    expect(correlated).toBeGreaterThan(independent * 1.5);
  });
});
