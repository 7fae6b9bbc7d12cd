import { validatePolicyContract } from '../contract/policyContractYaml.js';
import type { NewModelVersion } from '../metadata/ModelMetadataStore.js';
import { navContract } from './exampleContracts.js';

const contract = validatePolicyContract(navContract());

/** A registrable version of model `name` with the given metrics and tags (for store tests). */
export function sampleVersion(
  name: string,
  overrides: Partial<Pick<NewModelVersion, 'metrics' | 'tags' | 'lineage' | 'digestsSha256'>> = {},
): NewModelVersion {
  return {
    name,
    digestsSha256: `sha256:${'a'.repeat(64)}`,
    contractSha256: `sha256:${'b'.repeat(64)}`,
    contract,
    files: [{ path: 'policy.onnx', sha256: 'c'.repeat(64), size: 123 }],
    metrics: { successRate: 0.9 },
    tags: [],
    lineage: { runId: 'run-1', datasetVersion: 'nav@1', codeVersion: 'abc' },
    createdAt: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}
