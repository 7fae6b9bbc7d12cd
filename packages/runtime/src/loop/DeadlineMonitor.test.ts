import { describe, expect, it } from 'vitest';
import { DeadlineMonitor } from './DeadlineMonitor.js';

describe('DeadlineMonitor', () => {
  it('counts overruns, degrades after K in a row and recovers after enough on-time steps', () => {
    const monitor = new DeadlineMonitor({ maxConsecutiveOverruns: 3, recoverAfterSteps: 2 });
    expect(monitor.record(12, 10)).toBe(true);
    monitor.missed();
    expect(monitor.record(5, 10)).toBe(false);
    expect(monitor.degraded).toBe(false);
    monitor.record(11, 10);
    monitor.record(11, 10);
    monitor.missed();
    expect(monitor.overruns).toBe(5);
    expect(monitor.degraded).toBe(true);
    monitor.record(1, 10);
    expect(monitor.degraded).toBe(true);
    monitor.record(1, 10);
    expect(monitor.degraded).toBe(false);
  });
});
