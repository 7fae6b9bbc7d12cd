import { describe, expect, it } from 'vitest';
import type { LinkTimers } from '../mqtt/MqttLink.js';
import { RateLimiter } from './RateLimiter.js';

/** Manual clock and timers: time moves only when the test says so. */
function manualTime(): { timers: LinkTimers; now: () => number; advance: (ms: number) => void } {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  return {
    now: () => now,
    timers: {
      setTimeout: (callback, ms) => {
        timers.push({ at: now + ms, callback, id: ++nextId });
        return nextId;
      },
      clearTimeout: (id) => {
        timers = timers.filter((t) => t.id !== id);
      },
    },
    advance: (ms) => {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.callback();
    },
  };
}

describe('RateLimiter', () => {
  it('passes at most one message per period and sends the latest one at the next slot', () => {
    const time = manualTime();
    const sent: number[] = [];
    const dropped: number[] = [];
    const limiter = new RateLimiter<number>({
      maxRateHz: 10,
      now: time.now,
      timers: time.timers,
      emit: (n) => sent.push(n),
      drop: (n) => dropped.push(n),
    });
    limiter.offer(1);
    time.advance(20);
    limiter.offer(2);
    time.advance(20);
    limiter.offer(3);
    expect(sent).toEqual([1]);
    time.advance(60);
    expect(sent).toEqual([1, 3]);
    expect(dropped).toEqual([2]);
    time.advance(150);
    limiter.offer(4);
    expect(sent).toEqual([1, 3, 4]);
  });
});
