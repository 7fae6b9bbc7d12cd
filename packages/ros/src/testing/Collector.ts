/**
 * Collects what a listener receives (samples, discovery events) and lets a test await "N items
 * arrived" or "an item like this arrived" with a deadline, instead of sleeping and hoping.
 */
export class Collector<T> {
  readonly items: T[] = [];
  #waiters: { done: () => boolean; resolve: () => void }[] = [];

  /** Pass this as the listener. */
  readonly listener = (item: T): void => {
    this.items.push(item);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (waiter.done()) {
        waiter.resolve();
        return false;
      }
      return true;
    });
  };

  /** Resolves with the first `count` items once that many arrived; rejects after `timeoutMs`. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<T[]> {
    await this.#wait(() => this.items.length >= count, `${count} items`, timeoutMs);
    return this.items.slice(0, count);
  }

  /** Resolves with the first item matching `predicate`; rejects naming `what` after `timeoutMs`. */
  async waitForItem(predicate: (item: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
    await this.#wait(() => this.items.some(predicate), what, timeoutMs);
    return this.items.find(predicate) as T;
  }

  async #wait(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (done()) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#waiters.push({ done, resolve });
        timer = setTimeout(() => {
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${what}; have ${this.items.length} items.`,
            ),
          );
        }, timeoutMs);
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
