/**
 * Time as the control loop sees it: a monotonic clock in milliseconds and one-shot timers. The
 * loop, the deadline monitor and the probation window all read time through this, so tests drive
 * them with a manual clock instead of sleeping.
 */
export interface RuntimeClock {
  /** Monotonic milliseconds (any origin). */
  now(): number;
  /** Calls `fn` once after `delayMs`; returns a function that cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

/** The process clock: `performance.now()` and `setTimeout`. */
export const systemClock: RuntimeClock = Object.freeze({
  now: () => performance.now(),
  setTimer: (delayMs: number, fn: () => void) => {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(timer);
  },
});
