/** `builtin_interfaces/msg/Time`: seconds and nanoseconds since the Unix epoch. */
export interface Time {
  sec: number;
  nanosec: number;
}

/** `builtin_interfaces/msg/Duration`: a signed span of seconds plus non-negative nanoseconds. */
export interface Duration {
  sec: number;
  nanosec: number;
}

const NS_PER_SEC = 1_000_000_000n;

/**
 * Nanoseconds → `{ sec, nanosec }`, with `nanosec` always in [0, 1e9) (floor division, so
 * -1 ns is `{ sec: -1, nanosec: 999999999 }`, as ROS 2 represents it).
 */
export function timeFromNs(ns: bigint): Time {
  let sec = ns / NS_PER_SEC;
  let nanosec = ns % NS_PER_SEC;
  if (nanosec < 0n) {
    nanosec += NS_PER_SEC;
    sec -= 1n;
  }
  return { sec: Number(sec), nanosec: Number(nanosec) };
}

/** `{ sec, nanosec }` → nanoseconds. */
export function timeToNs(time: Time): bigint {
  return BigInt(time.sec) * NS_PER_SEC + BigInt(time.nanosec);
}

/** Milliseconds (as from `Date.now()`) → `{ sec, nanosec }`. */
export function timeFromMs(ms: number): Time {
  return timeFromNs(BigInt(Math.round(ms * 1e6)));
}

/** The current wall-clock time as a ROS time. */
export function timeNow(): Time {
  return timeFromMs(performance.timeOrigin + performance.now());
}
