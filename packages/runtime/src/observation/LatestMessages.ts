/** The newest decoded message of one topic and when it arrived (runtime clock, ms). */
export interface LatestMessage {
  readonly message: unknown;
  readonly atMs: number;
}

/**
 * The newest message of every subscribed topic (relative names). Shared by the active, previous
 * and shadow policies, so a swap never waits for fresh data.
 */
export class LatestMessages {
  readonly #latest = new Map<string, { message: unknown; atMs: number }>();

  /** Records the newest message of a topic. */
  update(topic: string, message: unknown, atMs: number): void {
    const entry = this.#latest.get(topic);
    if (entry === undefined) this.#latest.set(topic, { message, atMs });
    else {
      entry.message = message;
      entry.atMs = atMs;
    }
  }

  get(topic: string): LatestMessage | undefined {
    return this.#latest.get(topic);
  }

  /** Age of the newest message on `topic` at `nowMs`; +∞ when none arrived. */
  ageMs(topic: string, nowMs: number): number {
    const entry = this.#latest.get(topic);
    return entry === undefined ? Number.POSITIVE_INFINITY : nowMs - entry.atMs;
  }
}
