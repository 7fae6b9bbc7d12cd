import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const options = { initialMs: 500, maxMs: 30_000 };

  it('doubles the window per attempt and draws from its upper half', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, options, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, options, () => 0.999999))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it('never exceeds the maximum, however many attempts failed', () => {
    expect(backoffDelay(12, options, () => 0.999999)).toBe(30_000);
    expect(backoffDelay(1_000, options, () => 0)).toBe(15_000);
  });
});
