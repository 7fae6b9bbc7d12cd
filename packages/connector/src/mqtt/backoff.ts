/** Bounds of the reconnect delay. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Delay before reconnect attempt `attempt` (0 = the first retry): the window doubles from
 * `initialMs` up to `maxMs`, and the delay is drawn from its upper half ("equal jitter"), so a fleet
 * of robots that lost the same broker does not reconnect in lock-step yet never retries at once.
 *
 * @param rng returns a number in [0, 1); injected so tests need no sleeping or seeding.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, rng: () => number): number {
  const window = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(window / 2 + rng() * (window / 2));
}
