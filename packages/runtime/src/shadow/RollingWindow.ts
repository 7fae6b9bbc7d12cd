/** The last `capacity` values of a series, with mean and quantiles over them. */
export class RollingWindow {
  readonly #values: Float64Array;
  #next = 0;
  #count = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(Math.max(1, capacity));
  }

  /** Values held (at most the capacity). */
  get count(): number {
    return this.#count;
  }

  push(value: number): void {
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#values.length;
    this.#count = Math.min(this.#count + 1, this.#values.length);
  }

  /** Mean of the held values; NaN when empty. */
  mean(): number {
    if (this.#count === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.#count; i++) sum += this.#values[i] as number;
    return sum / this.#count;
  }

  /** The q-quantile (nearest rank) of the held values; NaN when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN;
    const sorted = this.#values.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil(q * this.#count) - 1));
    return sorted[rank] as number;
  }
}
