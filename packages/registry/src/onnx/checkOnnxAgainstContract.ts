import type { OnnxTensorSpec, PolicyContract } from '../contract/policyContractSchema.js';
import { RegistryError } from '../RegistryError.js';
import {
  readOnnxGraphSignature,
  type OnnxGraphSignature,
  type OnnxGraphTensor,
} from './readOnnxGraphSignature.js';

/** One difference between the ONNX graph and the contract. */
export interface OnnxContractMismatch {
  /** Contract field path, e.g. `onnx.inputs[0].shape[1]`. */
  readonly field: string;
  readonly expected: string;
  readonly found: string;
}

/**
 * Checks that an ONNX graph has the inputs and outputs the contract declares: the same names, the
 * same element types and compatible shapes. A dimension the contract names (`batch`) matches any
 * graph dimension; a dynamic graph dimension matches a named contract dimension, and in the first
 * (batch) position also any fixed size. The opset must not be newer than the contract's.
 *
 * @returns the graph signature that was read, when everything matches.
 * @throws {RegistryError} `ONNX_CONTRACT_MISMATCH` listing each mismatching field;
 *   `ONNX_INVALID` when the bytes are not an ONNX model.
 */
export function checkOnnxAgainstContract(
  onnxBytes: Uint8Array,
  contract: PolicyContract,
  file = contract.onnx.file,
): OnnxGraphSignature {
  const graph = readOnnxGraphSignature(onnxBytes, file);
  const mismatches = compareOnnxSignature(graph, contract);
  if (mismatches.length > 0) {
    const lines = mismatches.map((m) => `  ${m.field}: contract says ${m.expected}, graph has ${m.found}`);
    throw new RegistryError(
      'ONNX_CONTRACT_MISMATCH',
      `${file} does not match policy.yaml of "${contract.name}":\n${lines.join('\n')}\n` +
        'Fix policy.yaml (onnx.inputs / onnx.outputs) or export the graph with these names and shapes.',
    );
  }
  return graph;
}

/** Lists the differences between a graph signature and the contract (empty when they agree). */
export function compareOnnxSignature(
  graph: OnnxGraphSignature,
  contract: PolicyContract,
): OnnxContractMismatch[] {
  const out: OnnxContractMismatch[] = [];
  if (graph.opset !== undefined && graph.opset > contract.onnx.opset) {
    out.push({ field: 'onnx.opset', expected: String(contract.onnx.opset), found: `opset ${graph.opset}` });
  }
  compareTensors('inputs', contract.onnx.inputs, graph.inputs, out);
  compareTensors('outputs', contract.onnx.outputs, graph.outputs, out);
  return out;
}

function compareTensors(
  kind: 'inputs' | 'outputs',
  declared: readonly OnnxTensorSpec[],
  actual: readonly OnnxGraphTensor[],
  out: OnnxContractMismatch[],
): void {
  const names = actual.map((t) => `"${t.name}"`).join(', ') || 'none';
  declared.forEach((spec, i) => {
    const field = `onnx.${kind}[${i}]`;
    const tensor = actual.find((t) => t.name === spec.name);
    if (tensor === undefined) {
      out.push({ field: `${field}.name`, expected: `"${spec.name}"`, found: `${kind} ${names}` });
      return;
    }
    if (tensor.elementType !== spec.elementType) {
      out.push({ field: `${field}.elementType`, expected: spec.elementType, found: tensor.elementType });
    }
    if (tensor.shape === undefined) return;
    if (tensor.shape.length !== spec.shape.length) {
      out.push({
        field: `${field}.shape`,
        expected: `rank ${spec.shape.length} [${spec.shape.join(', ')}]`,
        found: `rank ${tensor.shape.length} [${tensor.shape.join(', ')}]`,
      });
      return;
    }
    spec.shape.forEach((dim, d) => {
      const got = tensor.shape?.[d];
      if (got === undefined || typeof dim === 'string') return;
      if (typeof got === 'string' ? d === 0 : got === dim) return;
      out.push({
        field: `${field}.shape[${d}]`,
        expected: String(dim),
        found: typeof got === 'string' ? `dynamic "${got}"` : String(got),
      });
    });
  });
  const undeclared = kind === 'inputs' ? actual.filter((t) => !declared.some((s) => s.name === t.name)) : [];
  for (const t of undeclared) {
    out.push({
      field: `onnx.inputs`,
      expected: 'every graph input declared',
      found: `undeclared input "${t.name}"`,
    });
  }
}
