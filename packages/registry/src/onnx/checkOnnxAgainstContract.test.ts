import { describe, expect, it } from 'vitest';
import { validatePolicyContract } from '../contract/policyContractYaml.js';
import { buildLinearPolicyOnnx } from '../testing/buildLinearPolicyOnnx.js';
import { navContract } from '../testing/exampleContracts.js';
import { checkOnnxAgainstContract } from './checkOnnxAgainstContract.js';

const contract = validatePolicyContract(navContract());

describe('checkOnnxAgainstContract', () => {
  it('accepts a graph with the declared names, types and a dynamic batch', () => {
    const graph = checkOnnxAgainstContract(buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2 }), contract);
    expect(graph.inputs).toEqual([{ name: 'obs', elementType: 'float32', shape: ['batch', 26] }]);
    expect(graph.opset).toBe(17);
  });

  it('accepts a fixed batch of 1 where the contract names the batch dimension', () => {
    expect(() =>
      checkOnnxAgainstContract(buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2, batch: 1 }), contract),
    ).not.toThrow();
  });

  it('names a wrong input name', () => {
    const onnx = buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2, inputName: 'policy' });
    expect(() => checkOnnxAgainstContract(onnx, contract)).toThrow(
      /onnx\.inputs\[0\]\.name: contract says "obs", graph has inputs "policy"/,
    );
  });

  it('names a wrong observation width', () => {
    const onnx = buildLinearPolicyOnnx({ inputSize: 27, outputSize: 2 });
    expect(() => checkOnnxAgainstContract(onnx, contract)).toThrow(
      /onnx\.inputs\[0\]\.shape\[1\]: contract says 26, graph has 27/,
    );
  });

  it('names a wrong element type', () => {
    const onnx = buildLinearPolicyOnnx({ inputSize: 26, outputSize: 2, elementType: 'float64' });
    expect(() => checkOnnxAgainstContract(onnx, contract)).toThrow(
      /onnx\.inputs\[0\]\.elementType: contract says float32, graph has float64/,
    );
  });

  it('rejects bytes that are not ONNX', () => {
    expect(() => checkOnnxAgainstContract(new TextEncoder().encode('not a model at all'), contract)).toThrow(
      expect.objectContaining({ code: 'ONNX_INVALID' }),
    );
  });
});
