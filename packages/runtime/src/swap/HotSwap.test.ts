import { afterEach, describe, expect, it } from 'vitest';
import type { CommandMessage } from '../action/ActionMapper.js';
import { ControlLoop } from '../loop/ControlLoop.js';
import { LatestMessages } from '../observation/LatestMessages.js';
import { loadTestPolicy } from '../testing/loadTestPolicy.js';
import { ManualClock } from '../testing/ManualClock.js';
import { goalMessage, odomMessage, scanMessage } from '../testing/robotMessages.js';
import { HotSwap, type SwapEvent, type SwapWhen } from './HotSwap.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((c) => c()));
});

function setup(when: SwapWhen) {
  const clock = new ManualClock();
  const latest = new LatestMessages();
  const published: CommandMessage[][] = [];
  const loop = new ControlLoop({
    clock,
    latest,
    publisher: { publish: (m) => published.push(structuredClone([...m])) },
    safety: {
      staleAfterPeriods: 3,
      staleExemptTopics: ['goal_pose'],
      minClearanceM: 0,
      clearanceHalfAngleDeg: 45,
      scanTopic: 'scan',
      estopTopic: 'estop',
    },
    maxConsecutiveOverruns: 3,
    recoverAfterSteps: 2,
  });
  let idle = false;
  const events: SwapEvent[] = [];
  const swap = new HotSwap({
    loop,
    clock,
    when,
    isIdle: () => idle,
    probation: { windowMs: 1000, maxInterventions: 5, maxOverruns: 5, maxNonFinite: 0 },
    onEvent: (e) => events.push(e),
  });
  cleanup.push(() => swap.close());
  const step = async (): Promise<number> => {
    clock.advance(20);
    latest.update('scan', scanMessage(32, 3), clock.now());
    latest.update('odom', odomMessage(0, 0, 0), clock.now());
    latest.update('goal_pose', goalMessage(5, 0), clock.now());
    await loop.step();
    const twist = published.at(-1)?.[0]?.message as { linear: { x: number } };
    return Math.round(twist.linear.x * 1000) / 1000;
  };
  return { swap, step, events, setIdle: (v: boolean) => (idle = v), clock, loop, latest };
}

describe('HotSwap', () => {
  it('switches a staged version only when the robot is idle, keeping the old one for rollback', async () => {
    const { swap, step, events, setIdle } = setup('idle');
    const v1 = await loadTestPolicy({ version: 'v1', bias: [0.3, 0] });
    const v2 = await loadTestPolicy({ version: 'v2', bias: [0.1, 0] });
    swap.activate(v1);
    expect(await step()).toBe(0.3);
    swap.stage(v2);
    expect(await step()).toBe(0.3);
    expect(await step()).toBe(0.3);
    setIdle(true);
    expect(await step()).toBe(0.1);
    expect(swap.active?.version).toBe('v2');
    expect(swap.previous?.version).toBe('v1');
    expect(swap.rollback('operator')).toBe(true);
    expect(await step()).toBe(0.3);
    expect(events.map((e) => e.kind)).toEqual(['switched', 'staged', 'switched', 'rolled-back']);
  });

  it('rolls a version that outputs NaN back to the previous one at the next step and rejects it', async () => {
    const { swap, step, events } = setup('any');
    const v1 = await loadTestPolicy({ version: 'v1', bias: [0.3, 0] });
    const bad = await loadTestPolicy({ version: 'bad', nan: true });
    swap.activate(v1);
    expect(await step()).toBe(0.3);
    swap.stage(bad);
    expect(await step()).toBe(0); // the NaN output is stopped by the safety filter
    expect(await step()).toBe(0.3); // and the previous version is back for the next step
    expect(swap.active?.version).toBe('v1');
    expect(swap.rejected.get(bad.digest)).toMatch(/1 non-finite outputs \(limit 0\)/);
    expect(events.at(-1)).toMatchObject({ kind: 'rolled-back', from: 'bad', to: 'v1', automatic: true });
  });

  it('leaves no gap in the commands when a version is switched while the loop ticks', async () => {
    const { swap, events, clock, loop, latest } = setup('any');
    swap.activate(await loadTestPolicy({ version: 'v1', bias: [0.3, 0] }));
    const steps: { at: number; version: string }[] = [];
    let wake: () => void = () => undefined;
    loop.onStep((r) => {
      steps.push({ at: r.startedAtMs, version: r.policy.version });
      wake();
    });
    const tick = async (): Promise<void> => {
      const stepped = new Promise<void>((resolve) => (wake = resolve));
      latest.update('scan', scanMessage(32, 3), clock.now());
      latest.update('odom', odomMessage(0, 0, 0), clock.now());
      latest.update('goal_pose', goalMessage(5, 0), clock.now());
      clock.advance(20);
      await stepped;
    };
    const first = new Promise<void>((resolve) => (wake = resolve));
    loop.start();
    await first;
    await tick();
    await tick();
    const v2 = await loadTestPolicy({ version: 'v2', bias: [0.1, 0] });
    swap.stage(v2);
    await tick();
    await tick();
    await loop.stop();
    expect(steps.map((s) => s.at)).toEqual([0, 20, 40, 60, 80]);
    expect(steps.map((s) => s.version)).toEqual(['v1', 'v1', 'v1', 'v2', 'v2']);
    expect(events.at(-1)).toMatchObject({ kind: 'switched', from: 'v1', to: 'v2' });
  });

  it('promotes a healthy version after the probation window', async () => {
    const { swap, step, events } = setup('any');
    swap.activate(await loadTestPolicy({ version: 'v1' }));
    swap.stage(await loadTestPolicy({ version: 'v2' }));
    await step();
    expect(swap.probation?.version).toBe('v2');
    for (let i = 0; i < 50; i++) await step();
    expect(swap.probation).toBeUndefined();
    expect(events.at(-1)).toEqual({ kind: 'promoted', version: 'v2' });
  });
});
