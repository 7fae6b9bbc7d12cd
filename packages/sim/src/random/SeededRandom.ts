/**
 * Seeded pseudo-random numbers (mulberry32 core). Everything random in the simulator draws from
 * one of these, so a seed fixes a trajectory bit for bit; `Math.random` is never used.
 */
export class SeededRandom {
  #state: number;
  #spareGaussian: number | undefined;

  constructor(seed: number) {
    this.#state = hashSeed(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Standard normal sample (Box–Muller, the second value of each pair is kept for the next call). */
  gaussian(): number {
    const spare = this.#spareGaussian;
    if (spare !== undefined) {
      this.#spareGaussian = undefined;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareGaussian = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A new generator whose stream is independent of this one's, derived from it and `salt`. */
  fork(salt: number): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * 4294967296) ^ hashSeed(salt));
  }
}

/** Mixes a seed (any finite number) into a well-spread 32-bit state, so seeds 0, 1, 2 differ widely. */
export function hashSeed(seed: number): number {
  let h = Math.trunc(seed) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
