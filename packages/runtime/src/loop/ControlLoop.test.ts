import { afterEach, describe, expect, it } from 'vitest';
import type { CommandMessage } from '../action/ActionMapper.js';
import { LatestMessages } from '../observation/LatestMessages.js';
import type { LoadedPolicy } from '../policy/LoadedPolicy.js';
import { loadTestPolicy } from '../testing/loadTestPolicy.js';
import { ManualClock } from '../testing/ManualClock.js';
import { goalMessage, odomMessage, scanMessage } from '../testing/robotMessages.js';
import { SteppingClock } from '../testing/SteppingClock.js';
import { ControlLoop, type LoopSafetySettings } from './ControlLoop.js';
import type { StepReport } from './StepReport.js';

const safety: LoopSafetySettings = {
  staleAfterPeriods: 3,
  staleExemptTopics: ['goal_pose'],
  minClearanceM: 0.3,
  clearanceHalfAngleDeg: 45,
  scanTopic: 'scan',
  estopTopic: 'estop',
};

const released: LoadedPolicy[] = [];
afterEach(async () => {
  await Promise.all(released.splice(0).map((p) => p.release()));
});

async function setup(clock: ManualClock, policyOptions: Parameters<typeof loadTestPolicy>[0] = {}) {
  const policy = await loadTestPolicy(policyOptions);
  released.push(policy);
  const latest = new LatestMessages();
  const published: CommandMessage[][] = [];
  const loop = new ControlLoop({
    clock,
    latest,
    publisher: { publish: (messages) => published.push(structuredClone([...messages])) },
    safety,
    maxConsecutiveOverruns: 3,
    recoverAfterSteps: 2,
  });
  loop.setPolicy(policy);
  const feed = (): void => {
    const now = clock.peek();
    latest.update('scan', scanMessage(32, 3), now);
    latest.update('odom', odomMessage(0, 0, 0), now);
    latest.update('goal_pose', goalMessage(5, 0), now);
  };
  const twist = (i = published.length - 1) => {
    const message = published[i]?.[0]?.message as { linear: { x: number }; angular: { z: number } };
    return [message.linear.x, message.angular.z];
  };
  return { loop, latest, published, feed, twist, policy };
}

describe('ControlLoop', () => {
  it('publishes the scaled, clipped model output as a Twist on the contract topic', async () => {
    const clock = new ManualClock();
    const { loop, published, feed, twist } = await setup(clock, { bias: [0.3, 9] });
    feed();
    const report = await loop.step();
    expect(published[0]?.[0]).toMatchObject({ topic: 'cmd_vel', type: 'geometry_msgs/msg/Twist' });
    // angular.z 9 is clamped to the component's max of 1.5 (a clamp, not an intervention).
    expect(twist()[0]).toBeCloseTo(0.3);
    expect(twist()[1]).toBeCloseTo(1.5);
    expect(report?.interventions).toBe(0);
  });

  it('stops the robot on stale observations and on the e-stop, counting each', async () => {
    const clock = new ManualClock();
    const { loop, latest, feed, twist } = await setup(clock);
    await loop.step();
    expect(twist()).toEqual([0, 0]); // nothing received yet
    feed();
    await loop.step();
    expect(twist()[0]).toBeCloseTo(0.3);
    clock.advance(61); // more than 3 periods of 20 ms without new data
    await loop.step();
    expect(twist()).toEqual([0, 0]);
    feed();
    latest.update('estop', { data: true }, clock.now());
    await loop.step();
    expect(twist()).toEqual([0, 0]);
    latest.update('estop', { data: false }, clock.now());
    await loop.step();
    expect(twist()[0]).toBeCloseTo(0.3);
    expect(Object.fromEntries(loop.interventions)).toEqual({ stale_observation: 2, estop: 1 });
  });

  it('stops a model that outputs NaN', async () => {
    const clock = new ManualClock();
    const { loop, feed, twist } = await setup(clock, { nan: true });
    feed();
    const report = await loop.step();
    expect(Number.isNaN(report?.raw?.[0])).toBe(true);
    expect(twist()).toEqual([0, 0]);
    expect(loop.interventions.get('non_finite_action')).toBe(1);
  });

  it('counts overrun steps and holds the robot stopped after 3 in a row', async () => {
    const clock = new SteppingClock(0);
    const { loop, feed, twist } = await setup(clock);
    feed();
    clock.stepMs = 25; // every step now measures 25 ms against a 20 ms period
    for (let i = 0; i < 3; i++) {
      feed();
      await loop.step();
      expect(twist()[0]).toBeCloseTo(0.3);
    }
    expect(loop.overruns).toBe(3);
    expect(loop.degraded).toBe(true);
    clock.stepMs = 1;
    feed();
    await loop.step();
    expect(twist()).toEqual([0, 0]);
    expect(loop.interventions.get('deadline')).toBe(1);
    feed();
    await loop.step();
    feed();
    await loop.step();
    expect(loop.degraded).toBe(false);
    feed();
    await loop.step();
    expect(twist()[0]).toBeCloseTo(0.3);
  });

  it('ticks at the contract period and counts a tick that finds the previous step running', async () => {
    const clock = new ManualClock();
    const { loop, feed } = await setup(clock);
    const reports: StepReport[] = [];
    const next = () =>
      new Promise<void>((resolve) => {
        const off = loop.onStep((r) => {
          reports.push({ ...r });
          off();
          resolve();
        });
      });
    feed();
    let done = next();
    loop.start();
    await done;
    for (let i = 0; i < 3; i++) {
      done = next();
      clock.advance(20);
      feed();
      await done;
    }
    expect(reports.map((r) => r.startedAtMs)).toEqual([0, 20, 40, 60]);
    // Two ticks in one turn: the second finds the first step still waiting for the model.
    done = next();
    clock.advance(40);
    await done;
    expect(loop.overruns).toBe(1);
    await loop.stop();
    expect(clock.pending).toBe(0);
  });
});
