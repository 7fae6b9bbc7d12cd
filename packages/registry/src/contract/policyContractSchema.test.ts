import { ConfigError } from '@fleetloop/core';
import { describe, expect, it } from 'vitest';
import { navContract } from '../testing/exampleContracts.js';
import { formatPolicyContract, parsePolicyContract, validatePolicyContract } from './policyContractYaml.js';

describe('policy contract', () => {
  it('round-trips through policy.yaml text with defaults filled in', () => {
    const contract = validatePolicyContract(navContract());
    const again = parsePolicyContract(formatPolicyContract(contract));
    expect(again).toEqual(contract);
    expect(again.action.components[0]?.offset).toBe(0);
  });

  it('names the field whose sizes disagree', () => {
    const input = navContract();
    const bad = { ...input, observation: { ...input.observation, size: 30 } };
    expect(() => validatePolicyContract(bad, 'policy.yaml')).toThrow(
      /observation\.size.*add up to 26, not 30/s,
    );
  });

  it('rejects an unknown transform kind and names the slice', () => {
    const text = formatPolicyContract(validatePolicyContract(navContract())).replace(
      'kind: scan-downsample',
      'kind: scan-upsample',
    );
    const error = catchError(() => parsePolicyContract(text, '/tmp/policy.yaml'));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]?.path).toBe('observation.slices[0].transform.kind');
  });

  it('requires the observation input to be one of the onnx inputs', () => {
    const input = navContract();
    const bad = { ...input, observation: { ...input.observation, inputName: 'policy_obs' } };
    expect(() => validatePolicyContract(bad)).toThrow(/observation\.inputName.*"policy_obs" is not among/s);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
