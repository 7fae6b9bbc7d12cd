import { writePolicyPackage, type PolicyPackage } from '@fleetloop/registry';
import type { GaussianPolicy } from '../model/GaussianPolicy.js';
import type { Rng } from '../model/random.js';
import { modelCard, type ModelCardInput } from './modelCard.js';
import { navPolicyContract, type NavContractOptions } from './navPolicyContract.js';
import { buildPolicyOnnx } from './onnxGraph.js';
import { verifyOnnxAgainstPolicy, type OnnxVerification } from './verifyOnnx.js';

/** Options for {@link exportPolicyPackage}. */
export interface ExportPolicyPackageOptions {
  readonly dir: string;
  readonly policy: GaussianPolicy;
  readonly contract: Omit<NavContractOptions, 'architecture'>;
  readonly card: Omit<ModelCardInput, 'architecture' | 'onnxMaxAbsError' | 'name' | 'runId' | 'algorithm'>;
  readonly tolerance: number;
  readonly rng: Rng;
}

/** The written package and the export check. */
export interface ExportedPolicy {
  readonly package: PolicyPackage;
  readonly onnx: Uint8Array;
  readonly check: OnnxVerification;
}

/**
 * Builds `policy.onnx`, checks it against the TF.js policy with ONNX Runtime (the export fails
 * beyond the tolerance), and writes the policy package (`policy.onnx`, `policy.yaml`, `card.md`,
 * `digests`) with the registry's writer, which also checks the graph against the contract.
 */
export async function exportPolicyPackage(options: ExportPolicyPackageOptions): Promise<ExportedPolicy> {
  const { policy } = options;
  const onnx = buildPolicyOnnx(policy.snapshot(), {
    metadata: { runId: options.contract.training.runId, algorithm: options.contract.training.algorithm },
  });
  const check = await verifyOnnxAgainstPolicy(onnx, policy, {
    rng: options.rng,
    tolerance: options.tolerance,
  });
  const contract = navPolicyContract({ ...options.contract, architecture: policy.architecture });
  const card = modelCard({
    ...options.card,
    name: options.contract.name,
    runId: options.contract.training.runId,
    algorithm: options.contract.training.algorithm,
    architecture: policy.architecture,
    onnxMaxAbsError: check.maxAbsError,
  });
  const written = await writePolicyPackage(options.dir, { onnx, contract, card });
  return { package: written, onnx, check };
}
