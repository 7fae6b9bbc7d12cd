import type { LinkTimers } from '../mqtt/MqttLink.js';

/**
 * Keep-latest rate limit for one topic: at most one message per `1 / maxRateHz` seconds passes;
 * a message arriving sooner waits for the next slot and is replaced by any newer one (the
 * replaced one is reported dropped), so a slow link always carries the freshest value.
 */
export class RateLimiter<T> {
  readonly #periodMs: number;
  readonly #now: () => number;
  readonly #timers: LinkTimers;
  readonly #emit: (item: T) => void;
  readonly #drop: (item: T) => void;
  readonly #keep: (item: T) => T;
  #lastMs = Number.NEGATIVE_INFINITY;
  #pending: { item: T } | undefined;
  #timer: unknown;

  constructor(options: {
    readonly maxRateHz: number;
    readonly now: () => number;
    readonly timers: LinkTimers;
    readonly emit: (item: T) => void;
    readonly drop: (item: T) => void;
    /** Makes what is held for a later slot (an item only valid during `offer`, kept by copy). */
    readonly keep?: (item: T) => T;
  }) {
    this.#periodMs = 1000 / options.maxRateHz;
    this.#now = options.now;
    this.#timers = options.timers;
    this.#emit = options.emit;
    this.#drop = options.drop;
    this.#keep = options.keep ?? ((item) => item);
  }

  offer(item: T): void {
    const now = this.#now();
    if (this.#pending === undefined && now - this.#lastMs >= this.#periodMs) {
      this.#lastMs = now;
      this.#emit(item);
      return;
    }
    if (this.#pending !== undefined) this.#drop(this.#pending.item);
    this.#pending = { item: this.#keep(item) };
    if (this.#timer === undefined) {
      this.#timer = this.#timers.setTimeout(
        () => this.#flush(),
        Math.max(0, this.#lastMs + this.#periodMs - now),
      );
    }
  }

  /** Cancels the pending message's timer (it is dropped). */
  close(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  #flush(): void {
    this.#timer = undefined;
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    this.#lastMs = this.#now();
    this.#emit(pending.item);
  }
}
