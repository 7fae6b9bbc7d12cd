import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkOnnxAgainstContract } from '../onnx/checkOnnxAgainstContract.js';
import { buildLinearPolicyOnnx } from '../testing/buildLinearPolicyOnnx.js';
import { parsePolicyContract } from './policyContractYaml.js';

describe('README example contract', () => {
  it('parses and matches an Isaac-Lab-style graph with input "obs" and output "actions"', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const contract = parsePolicyContract(yaml ?? '', 'README.md');
    expect(contract.observation.size).toBe(8);
    const onnx = buildLinearPolicyOnnx({
      inputName: 'obs',
      outputName: 'actions',
      inputSize: 8,
      outputSize: 2,
    });
    expect(() => checkOnnxAgainstContract(onnx, contract)).not.toThrow();
  });
});
