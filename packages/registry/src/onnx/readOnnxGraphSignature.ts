import onnxProto from 'onnx-proto';
import type { OnnxElementType } from '../contract/policyContractSchema.js';
import { RegistryError } from '../RegistryError.js';

const { onnx } = onnxProto;

/** One graph input or output as the ONNX file declares it. */
export interface OnnxGraphTensor {
  readonly name: string;
  /** The element type, or `unknown(<n>)` for a type fleetloop does not name, `none` when absent. */
  readonly elementType: OnnxElementType | `unknown(${number})` | 'none';
  /** Fixed dimensions as numbers, named dynamic ones as their name, unnamed dynamic ones as `?`. */
  readonly shape: readonly (number | string)[] | undefined;
}

/** The parts of an ONNX model that a policy contract describes. */
export interface OnnxGraphSignature {
  /** Opset version imported for the default (`ai.onnx`) domain. */
  readonly opset: number | undefined;
  /** Graph inputs that are not initializers (weights). */
  readonly inputs: readonly OnnxGraphTensor[];
  readonly outputs: readonly OnnxGraphTensor[];
}

const ELEMENT_TYPES: Readonly<Record<number, OnnxElementType>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** ONNX `TensorProto.DataType` number for an element type name. */
export function onnxDataType(elementType: OnnxElementType): number {
  const entry = Object.entries(ELEMENT_TYPES).find(([, name]) => name === elementType);
  return Number(entry?.[0]);
}

/**
 * Decodes an ONNX model and returns its opset and the names, element types and shapes of the
 * graph's inputs and outputs.
 *
 * @throws {RegistryError} `ONNX_INVALID` when the bytes are not an ONNX model with a graph.
 */
export function readOnnxGraphSignature(bytes: Uint8Array, file = 'policy.onnx'): OnnxGraphSignature {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new RegistryError(
      'ONNX_INVALID',
      `${file} is not an ONNX model (${bytes.length} bytes could not be decoded as onnx.ModelProto): ${String(error)}`,
      { cause: error },
    );
  }
  const graph = model.graph;
  if (graph === null || graph === undefined) {
    throw new RegistryError('ONNX_INVALID', `${file} holds no graph; export the model again with its graph`);
  }
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  const opset = (model.opsetImport ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  return {
    opset: opset === undefined ? undefined : toNumber(opset.version),
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(toTensor),
    outputs: (graph.output ?? []).map(toTensor),
  };
}

function toTensor(value: onnxProto.onnx.IValueInfoProto): OnnxGraphTensor {
  const tensorType = value.type?.tensorType;
  const elem = tensorType?.elemType ?? 0;
  const shape = tensorType?.shape?.dim?.map((d) => {
    if (d.dimValue !== null && d.dimValue !== undefined) return toNumber(d.dimValue) ?? '?';
    return d.dimParam !== null && d.dimParam !== undefined && d.dimParam !== '' ? d.dimParam : '?';
  });
  return {
    name: value.name ?? '',
    elementType: elem === 0 ? 'none' : (ELEMENT_TYPES[elem] ?? `unknown(${elem})`),
    shape,
  };
}

/** protobufjs gives int64 fields as numbers or `Long` objects, depending on their size. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    'toNumber' in value &&
    typeof value.toNumber === 'function'
  ) {
    return Number((value as { toNumber(): number }).toNumber());
  }
  return undefined;
}
