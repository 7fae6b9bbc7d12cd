import { tf } from '../tf/backend.js';
import { gaussian, type Rng } from './random.js';

/** Hidden-layer non-linearity; both map to a single ONNX node (Tanh, Relu). */
export type Activation = 'tanh' | 'relu';

/** Weights of one dense layer as plain data: `w` is row-major `inputs × outputs`. */
export interface DenseLayerState {
  readonly inputs: number;
  readonly outputs: number;
  readonly w: Float32Array;
  readonly b: Float32Array;
}

/** Options for {@link Mlp}. */
export interface MlpOptions {
  /** Sizes from input to output, e.g. `[70, 128, 128, 2]`. */
  readonly sizes: readonly number[];
  readonly activation: Activation;
  /** Randomness for weight initialisation. */
  readonly rng: Rng;
  /** Gain of the output layer's initial weights (small for policy heads so early actions are near 0). */
  readonly outputGain?: number;
  /**
   * Independently initialised networks of the same sizes whose outputs are averaged (default 1).
   * Trained each on its own loss ({@link Mlp.applyMembers}), their mean errs less than any one of
   * them where the data leaves a single network to guess.
   */
  readonly members?: number;
}

/**
 * A multilayer perceptron (or an ensemble of equal-sized ones, averaged) written with TF.js
 * variables and ops rather than `tf.layers`, so its weights map one-to-one onto the MatMul/Add
 * nodes of the exported ONNX graph. Layers are listed member by member.
 */
export class Mlp {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly members: number;
  #weights: tf.Variable[] = [];
  #biases: tf.Variable[] = [];

  constructor(options: MlpOptions) {
    this.sizes = [...options.sizes];
    this.activation = options.activation;
    this.members = options.members ?? 1;
    for (let m = 0; m < this.members; m++) {
      for (let i = 0; i + 1 < this.sizes.length; i++) {
        const inputs = this.sizes[i] as number;
        const outputs = this.sizes[i + 1] as number;
        const last = i + 2 === this.sizes.length;
        const gain = last ? (options.outputGain ?? 1) : Math.SQRT2;
        const w = new Float32Array(inputs * outputs);
        const scale = gain / Math.sqrt(inputs);
        for (let k = 0; k < w.length; k++) w[k] = gaussian(options.rng) * scale;
        this.#weights.push(tf.variable(tf.tensor2d(w, [inputs, outputs])));
        this.#biases.push(tf.variable(tf.zeros([outputs])));
      }
    }
  }

  /** Forward pass on a `batch × inputs` tensor (the members' mean); the output layer is linear. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const outputs = this.applyMembers(x);
    return outputs.length === 1 ? (outputs[0] as tf.Tensor2D) : tf.div(tf.addN(outputs), outputs.length);
  }

  /** Each member's output for a `batch × inputs` tensor (one tensor for a single network). */
  applyMembers(x: tf.Tensor2D): tf.Tensor2D[] {
    return Array.from({ length: this.members }, (_, m) => this.applyMember(m, x));
  }

  /** Output of ensemble member `member` (0 for a single network) for a `batch × inputs` tensor. */
  applyMember(member: number, x: tf.Tensor2D): tf.Tensor2D {
    const perMember = this.sizes.length - 1;
    let h = x;
    for (let i = 0; i < perMember; i++) {
      const at = member * perMember + i;
      const z = tf.add(tf.matMul(h, this.#weights[at] as tf.Variable), this.#biases[at] as tf.Variable);
      h = (i + 1 === perMember ? z : this.activation === 'tanh' ? tf.tanh(z) : tf.relu(z)) as tf.Tensor2D;
    }
    return h;
  }

  /** Variables an optimiser updates. */
  variables(): tf.Variable[] {
    return [...this.#weights, ...this.#biases];
  }

  /** Copies the weights out as plain data (checkpoints, ONNX export). */
  layers(): DenseLayerState[] {
    return this.#weights.map((w, i) => ({
      inputs: w.shape[0],
      outputs: w.shape[1] as number,
      w: w.dataSync() as Float32Array,
      b: (this.#biases[i] as tf.Variable).dataSync() as Float32Array,
    }));
  }

  /** Loads weights saved with {@link Mlp.layers}; shapes must match. */
  setLayers(layers: readonly DenseLayerState[]): void {
    if (layers.length !== this.#weights.length) {
      throw new Error(`expected ${this.#weights.length} layers, got ${layers.length}`);
    }
    layers.forEach((layer, i) => {
      const w = this.#weights[i] as tf.Variable;
      if (layer.inputs !== w.shape[0] || layer.outputs !== w.shape[1]) {
        throw new Error(
          `layer ${i}: expected ${w.shape[0]}×${w.shape[1]} weights, got ${layer.inputs}×${layer.outputs}`,
        );
      }
      tf.tidy(() => {
        w.assign(tf.tensor2d(layer.w, [layer.inputs, layer.outputs]));
        (this.#biases[i] as tf.Variable).assign(tf.tensor1d(layer.b));
      });
    });
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}
