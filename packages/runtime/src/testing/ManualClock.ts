import type { RuntimeClock } from '../clock/RuntimeClock.js';

/** A {@link RuntimeClock} that moves only when a test calls {@link ManualClock.advance}. */
export class ManualClock implements RuntimeClock {
  #now: number;
  #nextId = 0;
  #timers: { id: number; at: number; fn: () => void }[] = [];

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** The current time, without side effects (a subclass's `now()` may have some). */
  peek(): number {
    return this.#now;
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, delayMs), fn });
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward by `ms`, firing due timers in time order (each at its own due time). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t.id !== due.id);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = end;
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.#timers.length;
  }
}
