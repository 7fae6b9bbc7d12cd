import { describe, expect, it } from 'vitest';
import { generalizedAdvantages } from './gae.js';

describe('generalizedAdvantages', () => {
  it('equals discounted returns minus values when lambda is 1', () => {
    const { advantages, returns } = generalizedAdvantages({
      rewards: Float32Array.from([1, 1, 1]),
      values: Float32Array.from([0.5, 0.5, 0.5]),
      dones: Uint8Array.from([0, 0, 0]),
      lastValues: Float32Array.from([2]),
      envs: 1,
      gamma: 0.9,
      lambda: 1,
    });
    const g2 = 1 + 0.9 * 2;
    const g1 = 1 + 0.9 * g2;
    const g0 = 1 + 0.9 * g1;
    expect(Array.from(returns)).toEqual([g0, g1, g2].map((v) => Math.fround(v)));
    expect(advantages[0]).toBeCloseTo(g0 - 0.5, 5);
  });

  it('does not bootstrap across an episode end and keeps envs apart', () => {
    const { advantages } = generalizedAdvantages({
      // time-major, two envs: env 0 ends at t=0, env 1 never ends
      rewards: Float32Array.from([1, 0, 0, 0]),
      values: Float32Array.from([0, 0, 0, 0]),
      dones: Uint8Array.from([1, 0, 0, 0]),
      lastValues: Float32Array.from([100, 1]),
      envs: 2,
      gamma: 0.5,
      lambda: 0.5,
    });
    expect(advantages[0]).toBe(1);
    expect(advantages[2]).toBeCloseTo(0.5 * 100, 5);
    expect(advantages[3]).toBeCloseTo(0.5, 5);
    expect(advantages[1]).toBeCloseTo(0.25 * 0.5, 5);
  });
});
