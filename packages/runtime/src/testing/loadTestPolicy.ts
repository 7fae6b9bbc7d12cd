import { validatePolicyContract, type PolicyContractInput } from '@fleetloop/registry';
import { LoadedPolicy } from '../policy/LoadedPolicy.js';
import { OnnxPolicySession } from '../policy/OnnxPolicySession.js';
import { diffDriveContract, TEST_OBSERVATION_SIZE } from './contracts.js';
import { linearPolicyOnnx, nanPolicyOnnx } from './policyOnnx.js';

/**
 * A loaded policy on {@link diffDriveContract} that always outputs `bias` (zero weights), or NaN
 * with `nan: true`; no package directory involved.
 */
export async function loadTestPolicy(
  options: {
    version?: string;
    bias?: readonly number[];
    nan?: boolean;
    contract?: Partial<PolicyContractInput>;
  } = {},
): Promise<LoadedPolicy> {
  const contract = validatePolicyContract(diffDriveContract(options.contract));
  const io = { inputSize: TEST_OBSERVATION_SIZE, outputSize: 2, bias: options.bias ?? [0.3, 0.2] };
  const model = options.nan === true ? nanPolicyOnnx(io) : linearPolicyOnnx(io);
  const session = await OnnxPolicySession.create(model, contract);
  const version = options.version ?? 'v1';
  return new LoadedPolicy({ version, digest: `sha256:${version}` }, contract, session);
}
