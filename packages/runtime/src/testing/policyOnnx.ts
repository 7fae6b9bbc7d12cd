import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = 1;

/** Options for the test graphs below. */
export interface PolicyOnnxOptions {
  readonly inputName?: string;
  readonly outputName?: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Row-major [inputSize × outputSize] weights; default all zeros. */
  readonly weights?: readonly number[];
  /** Default all zeros. */
  readonly bias?: readonly number[];
}

type Node = onnxProto.onnx.INodeProto;
type Initializer = onnxProto.onnx.ITensorProto;

/** `actions = MatMul(obs, W) + b`: a linear policy with known output. */
export function linearPolicyOnnx(options: PolicyOnnxOptions): Uint8Array {
  const { inputSize, outputSize } = options;
  const out = options.outputName ?? 'actions';
  return encode(
    options,
    [matMul('obs_w', options.inputName ?? 'obs', 'W'), add(out, 'obs_w', 'b')],
    [
      tensor('W', [inputSize, outputSize], options.weights ?? zeros(inputSize * outputSize)),
      tensor('b', [outputSize], options.bias ?? zeros(outputSize)),
    ],
  );
}

/**
 * A policy whose every output is NaN: `Log(-(|MatMul(obs, W) + b|) - 1)`, the logarithm of a
 * negative number, whatever the observation.
 */
export function nanPolicyOnnx(options: PolicyOnnxOptions): Uint8Array {
  const { inputSize, outputSize } = options;
  const out = options.outputName ?? 'actions';
  return encode(
    options,
    [
      matMul('xw', options.inputName ?? 'obs', 'W'),
      add('y', 'xw', 'b'),
      { opType: 'Abs', input: ['y'], output: ['abs'], name: 'abs' },
      { opType: 'Neg', input: ['abs'], output: ['neg'], name: 'neg' },
      { opType: 'Sub', input: ['neg', 'one'], output: ['negative'], name: 'sub' },
      { opType: 'Log', input: ['negative'], output: [out], name: 'log' },
    ],
    [
      tensor('W', [inputSize, outputSize], options.weights ?? zeros(inputSize * outputSize)),
      tensor('b', [outputSize], options.bias ?? zeros(outputSize)),
      tensor('one', [], [1]),
    ],
  );
}

/** Options for {@link mlpPolicyOnnx}. */
export interface MlpPolicyOnnxOptions extends Omit<PolicyOnnxOptions, 'weights' | 'bias'> {
  /** Hidden layer widths, e.g. `[64, 64]`. */
  readonly hidden: readonly number[];
  /** Seed of the deterministic weights. */
  readonly seed?: number;
}

/** A tanh MLP (`MatMul → Add → Tanh` per layer, linear head) with deterministic pseudo-random weights. */
export function mlpPolicyOnnx(options: MlpPolicyOnnxOptions): Uint8Array {
  const sizes = [options.inputSize, ...options.hidden, options.outputSize];
  const random = lcg(options.seed ?? 1);
  const nodes: Node[] = [];
  const initializers: Initializer[] = [];
  let x = options.inputName ?? 'obs';
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    const fanIn = sizes[layer] as number;
    const fanOut = sizes[layer + 1] as number;
    const scale = 1 / Math.sqrt(fanIn);
    initializers.push(
      tensor(
        `W${layer}`,
        [fanIn, fanOut],
        Array.from({ length: fanIn * fanOut }, () => (random() * 2 - 1) * scale),
      ),
      tensor(`b${layer}`, [fanOut], zeros(fanOut)),
    );
    const last = layer === sizes.length - 2;
    nodes.push(matMul(`h${layer}_w`, x, `W${layer}`));
    const sum = last ? (options.outputName ?? 'actions') : `h${layer}_b`;
    nodes.push(add(sum, `h${layer}_w`, `b${layer}`));
    if (!last) {
      nodes.push({ opType: 'Tanh', input: [sum], output: [`h${layer}`], name: `tanh${layer}` });
      x = `h${layer}`;
    }
  }
  return encode({ ...options }, nodes, initializers);
}

/** Bytes that are not an ONNX model (a truncated one). */
export function corruptOnnx(model: Uint8Array): Uint8Array {
  return model.slice(0, Math.floor(model.length / 3));
}

function encode(
  options: Omit<PolicyOnnxOptions, 'weights' | 'bias'>,
  node: Node[],
  initializer: Initializer[],
): Uint8Array {
  const valueInfo = (name: string, size: number): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: size }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'fleetloop-runtime-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'policy',
      node,
      initializer,
      input: [valueInfo(options.inputName ?? 'obs', options.inputSize)],
      output: [valueInfo(options.outputName ?? 'actions', options.outputSize)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function matMul(output: string, a: string, b: string): Node {
  return { opType: 'MatMul', input: [a, b], output: [output], name: `matmul_${output}` };
}

function add(output: string, a: string, b: string): Node {
  return { opType: 'Add', input: [a, b], output: [output], name: `add_${output}` };
}

function tensor(name: string, dims: number[], values: readonly number[]): Initializer {
  return { name, dims, dataType: FLOAT, floatData: [...values] };
}

function zeros(n: number): number[] {
  return Array.from({ length: n }, () => 0);
}

function lcg(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
