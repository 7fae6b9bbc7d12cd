/** Serialisable state of an {@link ObservationNormalizer}. */
export interface NormalizerState {
  readonly count: number;
  readonly mean: number[];
  readonly m2: number[];
}

/** Standard deviations below this are treated as constant features and left unscaled. */
const MIN_STD = 1e-3;

/**
 * Running per-feature mean and standard deviation (Welford/Chan, in float64). The policy sees
 * `(observation - mean) / std`; the same two vectors become Sub/Div nodes in the exported ONNX
 * graph, so the robot feeds raw observations.
 */
export class ObservationNormalizer {
  readonly size: number;
  #count = 0;
  #mean: Float64Array;
  #m2: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.#mean = new Float64Array(size);
    this.#m2 = new Float64Array(size);
  }

  /** Restores a normaliser saved with {@link ObservationNormalizer.toJSON}. */
  static fromJSON(state: NormalizerState): ObservationNormalizer {
    const n = new ObservationNormalizer(state.mean.length);
    n.#count = state.count;
    n.#mean.set(state.mean);
    n.#m2.set(state.m2);
    return n;
  }

  /** Observations folded in so far. */
  get count(): number {
    return this.#count;
  }

  /** Folds a batch of row-major observations (`rows × size`) into the statistics. */
  update(batch: Float32Array | Float64Array): void {
    const rows = batch.length / this.size;
    if (rows === 0) return;
    const bMean = new Float64Array(this.size);
    const bM2 = new Float64Array(this.size);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < this.size; f++)
        bMean[f] = (bMean[f] as number) + (batch[r * this.size + f] as number);
    }
    for (let f = 0; f < this.size; f++) bMean[f] = (bMean[f] as number) / rows;
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < this.size; f++) {
        const d = (batch[r * this.size + f] as number) - (bMean[f] as number);
        bM2[f] = (bM2[f] as number) + d * d;
      }
    }
    const total = this.#count + rows;
    for (let f = 0; f < this.size; f++) {
      const delta = (bMean[f] as number) - (this.#mean[f] as number);
      this.#mean[f] = (this.#mean[f] as number) + (delta * rows) / total;
      this.#m2[f] =
        (this.#m2[f] as number) + (bM2[f] as number) + (delta * delta * this.#count * rows) / total;
    }
    this.#count = total;
  }

  /** Mean as float32, the precision the model and the ONNX graph use. */
  mean(): Float32Array {
    return Float32Array.from(this.#mean);
  }

  /** Standard deviation as float32; near-constant features get 1 so they pass through unscaled. */
  std(): Float32Array {
    const out = new Float32Array(this.size);
    for (let f = 0; f < this.size; f++) {
      const variance = this.#count > 1 ? (this.#m2[f] as number) / this.#count : 0;
      const s = Math.sqrt(variance);
      out[f] = s < MIN_STD ? 1 : s;
    }
    return out;
  }

  /** Plain-data state for checkpoints. */
  toJSON(): NormalizerState {
    return { count: this.#count, mean: Array.from(this.#mean), m2: Array.from(this.#m2) };
  }
}
