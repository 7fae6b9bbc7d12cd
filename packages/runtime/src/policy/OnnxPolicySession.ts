import ort from 'onnxruntime-node';
import type { PolicyContract } from '@fleetloop/registry';
import { RuntimeError } from '../RuntimeError.js';
import type { PolicyModel } from './PolicyModel.js';

/** ONNX Runtime execution providers the runtime can ask for, in preference order. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

/** Options for {@link OnnxPolicySession.create}. */
export interface OnnxPolicySessionOptions {
  /** Providers in preference order; `cuda`/`tensorrt` need an onnxruntime build with them (Jetson). Default `['cpu']`. */
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Threads inside one operator; 1 gives the lowest latency for small policies. Default 1. */
  readonly intraOpThreads?: number;
  /** Names the model in error messages (a file or version). */
  readonly source?: string;
}

/**
 * One ONNX Runtime session running a policy graph: a float32 observation in, a float32 action out,
 * with the input tensor allocated once and reused every step.
 */
export class OnnxPolicySession implements PolicyModel {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly #session: ort.InferenceSession;
  readonly #inputName: string;
  readonly #outputName: string;
  readonly #input: Float32Array;
  readonly #feeds: Record<string, ort.Tensor>;
  readonly #source: string;

  private constructor(session: ort.InferenceSession, contract: PolicyContract, source: string) {
    this.#session = session;
    this.#source = source;
    this.#inputName = contract.observation.inputName;
    this.#outputName = contract.action.outputName;
    this.inputSize = contract.observation.size;
    this.outputSize = contract.action.size;
    const spec = contract.onnx.inputs.find((t) => t.name === this.#inputName);
    // Dynamic dimensions (named, e.g. `batch`) run with one row.
    const dims = (spec?.shape ?? [1, this.inputSize]).map((d) => (typeof d === 'number' ? d : 1));
    this.#input = new Float32Array(this.inputSize);
    this.#feeds = { [this.#inputName]: new ort.Tensor('float32', this.#input, dims) };
  }

  /**
   * Creates a session for a model that follows `contract` (float32 observation input and action
   * output, as named there).
   *
   * @throws {RuntimeError} `CONTRACT_UNSUPPORTED` for non-float32 tensors, `MODEL_LOAD_FAILED` when
   *   ONNX Runtime rejects the model (corrupt file, unknown operator, missing provider).
   */
  static async create(
    model: Uint8Array,
    contract: PolicyContract,
    options: OnnxPolicySessionOptions = {},
  ): Promise<OnnxPolicySession> {
    const source = options.source ?? contract.name;
    for (const [list, name, where] of [
      [contract.onnx.inputs, contract.observation.inputName, 'onnx.inputs'],
      [contract.onnx.outputs, contract.action.outputName, 'onnx.outputs'],
    ] as const) {
      const spec = list.find((t) => t.name === name);
      if (spec !== undefined && spec.elementType !== 'float32') {
        throw new RuntimeError(
          'CONTRACT_UNSUPPORTED',
          `${where}: tensor "${name}" of ${source} is ${spec.elementType}; the runtime feeds and reads float32 — export the graph with float32 I/O`,
        );
      }
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, {
        executionProviders: [...(options.executionProviders ?? ['cpu'])],
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new RuntimeError(
        'MODEL_LOAD_FAILED',
        `ONNX Runtime cannot load the model of ${source}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new OnnxPolicySession(session, contract, source);
  }

  /** Runs the graph on one observation; returns the raw action (a new array). */
  async run(observation: ArrayLike<number>): Promise<Float32Array> {
    this.#input.set(observation);
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await this.#session.run(this.#feeds);
    } catch (error) {
      throw new RuntimeError(
        'MODEL_RUN_FAILED',
        `${this.#source} failed to run: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const output = results[this.#outputName];
    if (
      output === undefined ||
      !(output.data instanceof Float32Array) ||
      output.data.length < this.outputSize
    ) {
      throw new RuntimeError(
        'MODEL_RUN_FAILED',
        `${this.#source} returned no float32 "${this.#outputName}" with ${this.outputSize} values`,
      );
    }
    return output.data.length === this.outputSize ? output.data : output.data.slice(0, this.outputSize);
  }

  /** Runs the graph `runs` times on zeros so the first real step does not pay for allocation. */
  async warm(runs = 3): Promise<void> {
    const zeros = new Float32Array(this.inputSize);
    for (let i = 0; i < runs; i++) await this.run(zeros);
  }

  async release(): Promise<void> {
    await this.#session.release();
  }
}
