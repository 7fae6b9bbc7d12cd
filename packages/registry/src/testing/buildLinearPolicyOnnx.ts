import onnxProto from 'onnx-proto';
import type { OnnxElementType } from '../contract/policyContractSchema.js';
import { onnxDataType } from '../onnx/readOnnxGraphSignature.js';

const { onnx } = onnxProto;

/** Options for {@link buildLinearPolicyOnnx}. */
export interface LinearPolicyOnnxOptions {
  readonly inputName?: string;
  readonly outputName?: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** First dimension: a name makes it dynamic (default `batch`), a number fixes it. */
  readonly batch?: string | number;
  readonly elementType?: OnnxElementType;
  readonly opset?: number;
  /** Row-major [inputSize × outputSize] weights; default: 0.1 · (i + j) pattern. */
  readonly weights?: readonly number[];
  readonly bias?: readonly number[];
}

/**
 * Builds a real, runnable ONNX model `output = Gemm(input, W, b)` (a linear policy) for tests.
 */
export function buildLinearPolicyOnnx(options: LinearPolicyOnnxOptions): Uint8Array {
  const { inputSize, outputSize } = options;
  const inputName = options.inputName ?? 'obs';
  const outputName = options.outputName ?? 'actions';
  const batch = options.batch ?? 'batch';
  const elemType = onnxDataType(options.elementType ?? 'float32');
  const weights =
    options.weights ??
    Array.from(
      { length: inputSize * outputSize },
      (_, k) => 0.1 * ((k % outputSize) + Math.floor(k / outputSize)),
    );
  const bias = options.bias ?? Array.from({ length: outputSize }, () => 0);
  const dim = (d: string | number): onnxProto.onnx.TensorShapeProto.IDimension =>
    typeof d === 'number' ? { dimValue: d } : { dimParam: d };
  const valueInfo = (name: string, size: number): onnxProto.onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType, shape: { dim: [dim(batch), dim(size)] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'fleetloop-test',
    opsetImport: [{ domain: '', version: options.opset ?? 17 }],
    graph: {
      name: 'linear_policy',
      node: [{ opType: 'Gemm', input: [inputName, 'W', 'b'], output: [outputName], name: 'gemm' }],
      initializer: [
        { name: 'W', dims: [inputSize, outputSize], dataType: 1, floatData: [...weights] },
        { name: 'b', dims: [outputSize], dataType: 1, floatData: [...bias] },
      ],
      input: [valueInfo(inputName, inputSize)],
      output: [valueInfo(outputName, outputSize)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
