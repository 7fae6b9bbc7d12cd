/**
 * Delivers items to one consumer asynchronously and in order. Every in-process reader and
 * discovery watcher owns one, so a `write()` never calls a listener re-entrantly: delivery happens
 * on a later turn of the event loop (`setImmediate`), as it does over a real network.
 */
export class DeliveryQueue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #scheduled = false;
  #closed = false;
  readonly #deliver: (item: T) => void;
  readonly #capacity: number;
  readonly #onError: (error: unknown) => void;

  /**
   * @param deliver called once per item, in push order
   * @param options.capacity pending items kept; when exceeded the oldest pending item is dropped
   *   (best-effort readers with keep_last). Default: unbounded.
   * @param options.onError receives what `deliver` throws; delivery goes on with the next item
   */
  constructor(deliver: (item: T) => void, options: { capacity?: number; onError: (error: unknown) => void }) {
    this.#deliver = deliver;
    this.#capacity = options.capacity ?? Number.POSITIVE_INFINITY;
    this.#onError = options.onError;
  }

  push(item: T): void {
    if (this.#closed) {
      return;
    }
    this.#items.push(item);
    if (this.#items.length - this.#head > this.#capacity) {
      this.#items[this.#head] = undefined;
      this.#head += 1;
    }
    this.#schedule();
  }

  /** Drops everything pending; nothing is delivered after this returns. */
  close(): void {
    this.#closed = true;
    this.#items = [];
    this.#head = 0;
  }

  #schedule(): void {
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#drain);
    }
  }

  readonly #drain = (): void => {
    this.#scheduled = false;
    // Only what was pending when the turn started: items pushed by listeners wait for the next
    // turn, so two readers feeding each other cannot starve timers and I/O.
    const end = this.#items.length;
    while (!this.#closed && this.#head < end) {
      const item = this.#items[this.#head] as T;
      this.#items[this.#head] = undefined;
      this.#head += 1;
      try {
        this.#deliver(item);
      } catch (error) {
        this.#onError(error);
      }
    }
    if (this.#closed) {
      return;
    }
    if (this.#head >= this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else {
      if (this.#head > 1024) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      this.#schedule();
    }
  };
}
