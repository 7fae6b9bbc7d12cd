import { describe, expect, it } from 'vitest';
import { SeededRandom } from './SeededRandom.js';

describe('SeededRandom', () => {
  it('repeats its stream for a seed and differs across seeds', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it('draws uniform values in range and roughly standard gaussians', () => {
    const rng = new SeededRandom(1);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = rng.uniform(2, 3);
      expect(u >= 2 && u < 3).toBe(true);
      const g = rng.gaussian();
      sum += g;
      sq += g * g;
    }
    expect(Math.abs(sum / 20_000)).toBeLessThan(0.05);
    expect(Math.abs(sq / 20_000 - 1)).toBeLessThan(0.05);
  });
});
