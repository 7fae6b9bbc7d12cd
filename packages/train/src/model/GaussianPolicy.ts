import { tf } from '../tf/backend.js';
import { Mlp, type Activation, type DenseLayerState } from './Mlp.js';
import { ObservationNormalizer, type NormalizerState } from './ObservationNormalizer.js';
import type { Rng } from './random.js';

/** Shape of a policy: what goes in, what comes out, and the network in between. */
export interface PolicyArchitecture {
  readonly observationSize: number;
  readonly actionSize: number;
  /** Hidden layer widths, e.g. `[64, 64]`. */
  readonly hidden: readonly number[];
  readonly activation: Activation;
  /** Per-dimension physical action bounds; the network works in [-1, 1] between them. */
  readonly actionLow: readonly number[];
  readonly actionHigh: readonly number[];
  /**
   * Networks of these sizes averaged into the mean action (default 1). Behaviour cloning fits
   * each to the demonstrations on its own; their average is the policy (and the exported graph).
   */
  readonly ensembleMembers?: number;
}

/** Everything needed to rebuild a policy: checkpoint and export format. */
export interface PolicySnapshot {
  readonly format: 'fleetloop.gaussian-mlp-policy/v1';
  readonly architecture: PolicyArchitecture;
  readonly layers: readonly SerializedLayer[];
  readonly logStd: readonly number[];
  readonly normalizer: NormalizerState;
}

/** A dense layer in a JSON file: float32 arrays as base64. */
export interface SerializedLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly w: string;
  readonly b: string;
}

/** Options for {@link GaussianPolicy}. */
export interface GaussianPolicyOptions {
  readonly rng: Rng;
  /** Initial log standard deviation of the exploration noise, in normalised action units. */
  readonly initLogStd?: number;
}

/**
 * MLP policy with observation normalisation and a state-independent, learned log-std. The mean is
 * the deterministic action (what is exported); PPO samples around it. Network outputs live in a
 * normalised action space mapped linearly onto `[actionLow, actionHigh]` and clipped there.
 */
export class GaussianPolicy {
  readonly architecture: PolicyArchitecture;
  readonly mlp: Mlp;
  readonly logStd: tf.Variable;
  #normalizer: ObservationNormalizer;
  #normMean: tf.Tensor1D;
  #normStd: tf.Tensor1D;
  readonly #scale: Float32Array;
  readonly #offset: Float32Array;

  constructor(architecture: PolicyArchitecture, options: GaussianPolicyOptions) {
    this.architecture = architecture;
    this.#normalizer = new ObservationNormalizer(architecture.observationSize);
    this.mlp = new Mlp({
      sizes: [architecture.observationSize, ...architecture.hidden, architecture.actionSize],
      activation: architecture.activation,
      rng: options.rng,
      outputGain: 0.1,
      members: architecture.ensembleMembers ?? 1,
    });
    this.logStd = tf.variable(tf.fill([architecture.actionSize], options.initLogStd ?? -0.5));
    this.#normMean = tf.keep(tf.tensor1d(this.#normalizer.mean()));
    this.#normStd = tf.keep(tf.tensor1d(this.#normalizer.std()));
    this.#scale = Float32Array.from(
      architecture.actionLow,
      (lo, i) => ((architecture.actionHigh[i] as number) - lo) / 2,
    );
    this.#offset = Float32Array.from(
      architecture.actionLow,
      (lo, i) => ((architecture.actionHigh[i] as number) + lo) / 2,
    );
  }

  /** Rebuilds a policy from a checkpoint or export snapshot. */
  static fromSnapshot(snapshot: PolicySnapshot, rng: Rng): GaussianPolicy {
    const policy = new GaussianPolicy(snapshot.architecture, { rng });
    policy.load(snapshot);
    return policy;
  }

  /** Observation statistics the policy normalises with; call {@link syncNormalizer} after updating. */
  get normalizer(): ObservationNormalizer {
    return this.#normalizer;
  }

  /** Action scale and offset: physical = normalised · scale + offset. */
  actionScaling(): { scale: Float32Array; offset: Float32Array } {
    return { scale: this.#scale.slice(), offset: this.#offset.slice() };
  }

  /** Re-reads the normaliser's statistics into the graph; call after updating it. */
  syncNormalizer(): void {
    this.#normMean.dispose();
    this.#normStd.dispose();
    this.#normMean = tf.keep(tf.tensor1d(this.normalizer.mean()));
    this.#normStd = tf.keep(tf.tensor1d(this.normalizer.std()));
  }

  /** Normalised observations `(x - mean) / std`, as in the exported graph. */
  normalize(observations: tf.Tensor2D): tf.Tensor2D {
    return tf.div(tf.sub(observations, this.#normMean), this.#normStd);
  }

  /** Mean action in normalised action units for raw observations. */
  meanNormalized(observations: tf.Tensor2D): tf.Tensor2D {
    return this.mlp.apply(this.normalize(observations));
  }

  /**
   * Behaviour-cloning loss on demonstrated actions (normalised units): the squared error of each
   * ensemble member's mean, averaged over members and rows. The rows are one block per member
   * (member m fits block m only, all rows for a single network), so members learn independently,
   * each from its own minibatch.
   */
  imitationLoss(observations: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
    const members = this.mlp.members;
    const rows = observations.shape[0] / members;
    if (!Number.isInteger(rows)) {
      throw new Error(`${observations.shape[0]} rows do not split into ${members} member blocks`);
    }
    const normalized = this.normalize(observations);
    const losses = Array.from({ length: members }, (_, m) => {
      const x = tf.slice(normalized, [m * rows, 0], [rows, -1]);
      const y = tf.slice(targets, [m * rows, 0], [rows, -1]);
      return tf.mean<tf.Scalar>(tf.square(tf.sub(this.mlp.applyMember(m, x), y)));
    });
    return losses.length === 1 ? (losses[0] as tf.Scalar) : tf.div<tf.Scalar>(tf.addN(losses), losses.length);
  }

  /** Deterministic physical action (scaled and clipped mean), exactly what `policy.onnx` computes. */
  deterministic(observations: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const a = tf.add(
        tf.mul(this.meanNormalized(observations), tf.tensor1d(this.#scale)),
        tf.tensor1d(this.#offset),
      );
      return tf.minimum(
        tf.maximum(a, tf.tensor1d(this.architecture.actionLow as number[])),
        tf.tensor1d(this.architecture.actionHigh as number[]),
      );
    });
  }

  /** Deterministic actions for a row-major batch of raw observations. */
  act(observations: Float32Array): Float32Array {
    const rows = observations.length / this.architecture.observationSize;
    return tf.tidy(() => {
      const x = tf.tensor2d(observations, [rows, this.architecture.observationSize]);
      return this.deterministic(x).dataSync() as Float32Array;
    });
  }

  /** Maps normalised actions onto physical bounds (clipped), in place on a copy. */
  toPhysical(normalized: Float32Array): Float32Array {
    const out = new Float32Array(normalized.length);
    const n = this.architecture.actionSize;
    for (let i = 0; i < normalized.length; i++) {
      const d = i % n;
      const v = (normalized[i] as number) * (this.#scale[d] as number) + (this.#offset[d] as number);
      out[i] = Math.min(
        Math.max(v, this.architecture.actionLow[d] as number),
        this.architecture.actionHigh[d] as number,
      );
    }
    return out;
  }

  /** Maps physical actions into normalised units (BC targets). */
  toNormalized(physical: Float32Array): Float32Array {
    const out = new Float32Array(physical.length);
    const n = this.architecture.actionSize;
    for (let i = 0; i < physical.length; i++) {
      const d = i % n;
      out[i] = ((physical[i] as number) - (this.#offset[d] as number)) / (this.#scale[d] as number);
    }
    return out;
  }

  /** Trainable variables of the mean network (plus the log-std when `withLogStd`). */
  variables(withLogStd: boolean): tf.Variable[] {
    return withLogStd ? [...this.mlp.variables(), this.logStd] : this.mlp.variables();
  }

  /** Plain-data copy of the whole policy. */
  snapshot(): PolicySnapshot {
    return {
      format: 'fleetloop.gaussian-mlp-policy/v1',
      architecture: this.architecture,
      layers: this.mlp.layers().map(serializeLayer),
      logStd: Array.from(this.logStd.dataSync()),
      normalizer: this.normalizer.toJSON(),
    };
  }

  /** Loads weights, log-std and normaliser from a snapshot of the same architecture. */
  load(snapshot: PolicySnapshot): void {
    this.mlp.setLayers(snapshot.layers.map(deserializeLayer));
    tf.tidy(() => this.logStd.assign(tf.tensor1d(snapshot.logStd as number[])));
    this.#normalizer = ObservationNormalizer.fromJSON(snapshot.normalizer);
    this.syncNormalizer();
  }

  dispose(): void {
    this.mlp.dispose();
    this.logStd.dispose();
    this.#normMean.dispose();
    this.#normStd.dispose();
  }
}

/** Encodes a dense layer for JSON. */
export function serializeLayer(layer: DenseLayerState): SerializedLayer {
  return { inputs: layer.inputs, outputs: layer.outputs, w: f32ToBase64(layer.w), b: f32ToBase64(layer.b) };
}

/**
 * The dense layers of a snapshot grouped per ensemble member (one group for a single network):
 * {@link Mlp.layers} lists them member by member.
 */
export function memberLayers(snapshot: PolicySnapshot): DenseLayerState[][] {
  const layers = snapshot.layers.map(deserializeLayer);
  const members = snapshot.architecture.ensembleMembers ?? 1;
  const perMember = layers.length / members;
  return Array.from({ length: members }, (_, m) => layers.slice(m * perMember, (m + 1) * perMember));
}

/** Decodes a dense layer from JSON. */
export function deserializeLayer(layer: SerializedLayer): DenseLayerState {
  return { inputs: layer.inputs, outputs: layer.outputs, w: base64ToF32(layer.w), b: base64ToF32(layer.b) };
}

function f32ToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function base64ToF32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
