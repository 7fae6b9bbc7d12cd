import { afterEach, describe, expect, it } from 'vitest';
import { ControlLoop } from '../loop/ControlLoop.js';
import { LatestMessages } from '../observation/LatestMessages.js';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import { loadTestPolicy } from '../testing/loadTestPolicy.js';
import { ManualClock } from '../testing/ManualClock.js';
import { goalMessage, odomMessage, scanMessage } from '../testing/robotMessages.js';
import { RollingWindow } from './RollingWindow.js';
import { ShadowEvaluator, type ShadowSample } from './ShadowEvaluator.js';

const loaded: LoadedPolicy[] = [];
afterEach(async () => {
  await Promise.all(loaded.splice(0).map((p) => p.release()));
});

describe('ShadowEvaluator', () => {
  it('runs the challenger on the same observations without actuating and measures divergence', async () => {
    const clock = new ManualClock();
    const latest = new LatestMessages();
    const published: unknown[] = [];
    const loop = new ControlLoop({
      clock,
      latest,
      publisher: { publish: (m) => published.push(...structuredClone([...m])) },
      safety: {
        staleAfterPeriods: 3,
        staleExemptTopics: [],
        minClearanceM: 0,
        clearanceHalfAngleDeg: 45,
        scanTopic: 'scan',
        estopTopic: 'estop',
      },
      maxConsecutiveOverruns: 3,
      recoverAfterSteps: 2,
    });
    const active = await loadTestPolicy({ version: 'v1', bias: [0.3, 0.2] });
    // 0.1 apart on linear.x, 0.4 on angular.z: a divergence of √(0.1² + 0.4²).
    const challenger = await loadTestPolicy({ version: 'v2', bias: [0.2, 0.6] });
    loaded.push(active);
    loop.setPolicy(active);
    const samples: ShadowSample[] = [];
    let wake: () => void = () => undefined;
    const shadow = new ShadowEvaluator({
      loop,
      latest,
      clock,
      onSample: (s) => {
        samples.push(s);
        wake();
      },
    });
    shadow.set(challenger);
    for (let i = 0; i < 5; i++) {
      latest.update('scan', scanMessage(32, 3), clock.now());
      latest.update('odom', odomMessage(0, 0, 0), clock.now());
      latest.update('goal_pose', goalMessage(5, 0), clock.now());
      const sampled = new Promise<void>((resolve) => (wake = resolve));
      await loop.step();
      await sampled;
      clock.advance(20);
    }
    expect(published).toHaveLength(5);
    const linear = published.map((m) => (m as { message: { linear: { x: number } } }).message.linear.x);
    expect(linear.map((x) => x.toFixed(3))).toEqual(Array(5).fill('0.300'));
    const stats = shadow.stats();
    expect(stats?.samples).toBe(5);
    expect(stats?.divergenceMean).toBeCloseTo(Math.sqrt(0.01 + 0.16), 5);
    expect(stats?.divergenceP95).toBeCloseTo(Math.sqrt(0.01 + 0.16), 5);
    expect(samples[0]?.version).toBe('v2');
    await shadow.close();
  });
});

describe('RollingWindow', () => {
  it('keeps the last values and gives their mean and nearest-rank quantiles', () => {
    const window = new RollingWindow(4);
    for (const v of [100, 1, 2, 3, 4]) window.push(v);
    expect(window.count).toBe(4);
    expect(window.mean()).toBe(2.5);
    expect(window.quantile(0.5)).toBe(2);
    expect(window.quantile(0.95)).toBe(4);
  });
});
