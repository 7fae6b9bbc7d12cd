import { beforeAll, describe, expect, it } from 'vitest';
import { NAV_OBSERVATION_SIZE } from '../observation/navLayout.js';
import type { EpisodeSpec } from '../scenario/EpisodeSpec.js';
import { noiselessEpisode, partitionedRoom } from '../testing/testWorlds.js';
import { initPhysics } from '../world/physics.js';
import { NAV_REWARD, NavSimulation, type NavRewardOptions } from './NavSimulation.js';

/** The robot faces a partition with the goal behind it. */
const partitionAhead = (): EpisodeSpec => noiselessEpisode('partition-ahead', partitionedRoom());

interface Rollout {
  readonly rewards: number[];
  readonly clearances: number[];
  readonly pathLength: number;
  readonly collision: boolean;
}

/** Drives `episode` straight ahead at 0.4 m/s until the episode ends or `steps` pass. */
function driveAhead(episode: EpisodeSpec, reward: NavRewardOptions, steps: number): Rollout {
  const sim = new NavSimulation(2, reward);
  const obs = new Float32Array(NAV_OBSERVATION_SIZE);
  sim.reset(episode, obs, 0);
  const rewards: number[] = [];
  const clearances: number[] = [];
  for (let i = 0; i < steps && !sim.ended; i++) {
    sim.step(0.4, 0, obs, 0);
    rewards.push(sim.reward);
    clearances.push(sim.clearance);
  }
  const metrics = sim.metrics();
  sim.close();
  return { rewards, clearances, pathLength: metrics.pathLength, collision: metrics.collision };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('NavSimulation rewards', () => {
  beforeAll(async () => {
    await initPhysics();
  });

  it('pays straight-line progress by default, and much less on the shortest path when heading into a partition', () => {
    const episode = partitionAhead();
    const plain = driveAhead(episode, {}, 60);
    const geodesic = driveAhead(episode, { progress: 'geodesic' }, 60);
    expect(plain.collision).toBe(false);
    expect(plain.pathLength).toBeGreaterThan(0.8);
    const stepTerms = NAV_REWARD.step * plain.rewards.length;
    const straightProgress = sum(plain.rewards) - stepTerms;
    const pathProgress = sum(geodesic.rewards) - stepTerms;
    // Every metre driven at the goal is a metre closer on the straight line ...
    expect(straightProgress).toBeCloseTo(plain.pathLength, 2);
    // ... but barely closer on the way around the partition.
    expect(pathProgress).toBeGreaterThan(0);
    expect(pathProgress).toBeLessThan(0.5 * straightProgress);
  });

  it('charges the travel reward per metre driven', () => {
    const episode = partitionAhead();
    const plain = driveAhead(episode, {}, 40);
    const charged = driveAhead(episode, { travel: -0.5 }, 40);
    expect(sum(charged.rewards) - sum(plain.rewards)).toBeCloseTo(-0.5 * plain.pathLength, 4);
  });

  it('charges the clearance reward only below the margin, in proportion to how far below', () => {
    const episode = partitionAhead();
    const options = { clearance: -2, clearanceMargin: 0.3 } as const;
    const plain = driveAhead(episode, {}, 400);
    const charged = driveAhead(episode, options, 400);
    expect(plain.collision).toBe(true);
    const expected = charged.clearances.map((c) => (c < 0.3 ? -2 * (0.3 - c) : 0));
    expect(expected.filter((e) => e < 0).length).toBeGreaterThan(3);
    expect(expected.slice(0, 10)).toEqual(new Array(10).fill(0));
    charged.rewards.forEach((r, i) =>
      expect(r - (plain.rewards[i] as number)).toBeCloseTo(expected[i] as number, 5),
    );
  });

  it('rejects reward terms that are not finite and a clearance margin that is not positive', () => {
    expect(() => new NavSimulation(2, { travel: Number.NaN })).toThrow(
      /reward.travel must be a finite number, got NaN/,
    );
    expect(() => new NavSimulation(2, { clearanceMargin: 0 })).toThrow(/clearanceMargin must be positive/);
  });
});
