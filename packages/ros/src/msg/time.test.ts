import { describe, expect, it } from 'vitest';
import { timeFromMs, timeFromNs, timeToNs } from './time.js';

describe('ROS time', () => {
  it('converts nanoseconds to { sec, nanosec } and back, keeping nanosec non-negative', () => {
    expect(timeFromNs(1_733_000_000_123_456_789n)).toEqual({ sec: 1_733_000_000, nanosec: 123_456_789 });
    expect(timeFromNs(-1n)).toEqual({ sec: -1, nanosec: 999_999_999 });
    expect(timeToNs({ sec: -1, nanosec: 999_999_999 })).toBe(-1n);
    expect(timeToNs(timeFromNs(42n))).toBe(42n);
    expect(timeFromMs(1500)).toEqual({ sec: 1, nanosec: 500_000_000 });
  });
});
