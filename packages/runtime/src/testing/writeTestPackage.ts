import type { KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DIGESTS_FILE,
  formatDigests,
  parseDigests,
  sha256Hex,
  writePolicyPackage,
  type PolicyContractInput,
  type PolicyPackage,
} from '@fleetloop/registry';
import { diffDriveContract, TEST_OBSERVATION_SIZE } from './contracts.js';
import { linearPolicyOnnx, nanPolicyOnnx } from './policyOnnx.js';

/** Options for {@link writeTestPackage}. */
export interface TestPackageOptions {
  /** Constant output of the linear policy. Default `[0.3, 0.2]`. */
  readonly bias?: readonly number[];
  /** A policy that outputs NaN. */
  readonly nan?: boolean;
  readonly contract?: Partial<PolicyContractInput>;
  readonly signingKey?: KeyObject;
}

/** Writes a policy package on {@link diffDriveContract} into `dir`. */
export async function writeTestPackage(
  dir: string,
  options: TestPackageOptions = {},
): Promise<PolicyPackage> {
  const io = { inputSize: TEST_OBSERVATION_SIZE, outputSize: 2, bias: options.bias ?? [0.3, 0.2] };
  return writePolicyPackage(dir, {
    onnx: options.nan === true ? nanPolicyOnnx(io) : linearPolicyOnnx(io),
    contract: diffDriveContract(options.contract),
    signingKey: options.signingKey,
  });
}

/**
 * Replaces a file of a package and rewrites the digests to match, as a package built from that
 * content would be: only the checks after the digests can catch it.
 */
export async function replacePackageFile(
  dir: string,
  file: string,
  content: Uint8Array | string,
): Promise<void> {
  await writeFile(path.join(dir, file), content);
  const digests = parseDigests(await readFile(path.join(dir, DIGESTS_FILE), 'utf8'));
  digests.set(file, sha256Hex(typeof content === 'string' ? Buffer.from(content) : content));
  await writeFile(
    path.join(dir, DIGESTS_FILE),
    formatDigests([...digests].map(([p, sha256]) => ({ path: p, sha256 }))),
  );
}
