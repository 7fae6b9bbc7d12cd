import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex, verifyPolicyPackage } from '@fleetloop/registry';
import { RuntimeError } from '../RuntimeError.js';
import {
  checkContractAgainstRobot,
  type MessageDefinitions,
  type RobotDescription,
} from './checkContractAgainstRobot.js';
import { formatMismatches } from './ContractMismatch.js';
import { LoadedPolicy } from './LoadedPolicy.js';
import { OnnxPolicySession, type OnnxPolicySessionOptions } from './OnnxPolicySession.js';

/** Options for {@link loadPolicyPackage}. */
export interface LoadPolicyPackageOptions {
  /** The robot the policy must fit. */
  readonly robot: RobotDescription;
  readonly definitions: MessageDefinitions;
  /** Trusted ed25519 key: when set, the package must be signed by it. */
  readonly publicKey?: KeyObject | undefined;
  /** When set, the package's content digest (`sha256:` of its digests file) must equal it. */
  readonly expectedDigest?: string | undefined;
  /** Version shown in status and metrics; default `<contract name>@<first 12 hex of the digest>`. */
  readonly version?: string | undefined;
  readonly session?: OnnxPolicySessionOptions;
  /** Warm-up runs before the policy is handed out. Default 3. */
  readonly warmupRuns?: number;
}

/**
 * Loads a policy package directory for this robot: verifies the file digests, the signature (with
 * a configured key) and the ONNX graph against the contract, checks the contract against the
 * robot's type, topics, types and fields, creates the ONNX Runtime session and warms it up.
 * Nothing is loaded if any check fails.
 *
 * @throws {RegistryError} for digest, signature and graph problems; {@link RuntimeError}
 *   `CONTRACT_MISMATCH` naming every mismatched contract field, `MODEL_LOAD_FAILED`.
 */
export async function loadPolicyPackage(
  dir: string,
  options: LoadPolicyPackageOptions,
): Promise<LoadedPolicy> {
  const pkg = await verifyPolicyPackage(dir, { publicKey: options.publicKey });
  if (options.expectedDigest !== undefined && options.expectedDigest !== pkg.digestsSha256) {
    throw new RuntimeError(
      'MODEL_LOAD_FAILED',
      `policy package ${dir} has digest ${pkg.digestsSha256}, the desired state pins ${options.expectedDigest}; fetch the pinned version or update the desired state`,
    );
  }
  const mismatches = checkContractAgainstRobot(pkg.contract, options.robot, options.definitions);
  if (mismatches.length > 0) {
    throw new RuntimeError(
      'CONTRACT_MISMATCH',
      `policy ${pkg.contract.name} in ${dir} does not fit this robot:\n${formatMismatches(mismatches)}`,
    );
  }
  const file = path.join(dir, pkg.contract.onnx.file);
  const model = await readFile(file);
  // The file is read again for the session: it must still be the verified content.
  const listed = pkg.files.find((f) => f.path === pkg.contract.onnx.file)?.sha256;
  const actual = sha256Hex(model);
  if (actual !== listed) {
    throw new RuntimeError(
      'MODEL_LOAD_FAILED',
      `${file} changed while loading (sha256 ${actual}, digests list ${String(listed)}); fetch the package again`,
    );
  }
  const version =
    options.version ??
    `${pkg.contract.name}@${pkg.digestsSha256.slice('sha256:'.length, 'sha256:'.length + 12)}`;
  const session = await OnnxPolicySession.create(model, pkg.contract, {
    ...options.session,
    source: `${version} (${file})`,
  });
  const policy = new LoadedPolicy({ version, digest: pkg.digestsSha256 }, pkg.contract, session);
  try {
    await session.warm(options.warmupRuns ?? 3);
  } catch (error) {
    await policy.release();
    throw error;
  }
  return policy;
}
