import type { KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkOnnxAgainstContract } from '../onnx/checkOnnxAgainstContract.js';
import { RegistryError } from '../RegistryError.js';
import {
  packageSignatureSchema,
  SIGNATURE_FILE,
  signDigests,
  verifyDigestsSignature,
  type PackageSignature,
} from '../signing/packageSignature.js';
import { DIGESTS_FILE, formatDigests, parseDigests, sha256Hex, type PackageFile } from './digests.js';
import type { PolicyContract, PolicyContractInput } from './policyContractSchema.js';
import { formatPolicyContract, parsePolicyContract, validatePolicyContract } from './policyContractYaml.js';

/** Name of the contract file inside a policy package. */
export const CONTRACT_FILE = 'policy.yaml';
/** Name of the model card inside a policy package. */
export const CARD_FILE = 'card.md';

/** A policy package read from a directory, with every listed file's digest verified. */
export interface PolicyPackage {
  readonly dir: string;
  readonly contract: PolicyContract;
  /** Every file listed in `digests`, sorted by path. */
  readonly files: readonly PackageFile[];
  /** `sha256:<hex>` of the `digests` file: the identity of the package content. */
  readonly digestsSha256: string;
  /** The `digests` text as read. */
  readonly digestsText: string;
  readonly signature?: PackageSignature;
}

/**
 * Reads a policy package and verifies it against its `digests` manifest: every listed file exists
 * with the listed sha256, and no other file is present (besides `digests` and `signature.json`).
 * The signature, if any, is parsed but not checked; see {@link verifyPolicyPackage}.
 *
 * @throws {RegistryError} `PACKAGE_DIGEST_MISMATCH` / `PACKAGE_FILE_MISSING` /
 *   `PACKAGE_FILE_UNLISTED` naming the file; {@link ConfigError} for an invalid `policy.yaml`.
 */
export async function readPolicyPackage(dir: string): Promise<PolicyPackage> {
  const digestsPath = path.join(dir, DIGESTS_FILE);
  const digestsText = await readPackageFile(digestsPath, DIGESTS_FILE, dir).then((b) => b.toString('utf8'));
  const listed = parseDigests(digestsText, digestsPath);
  const present = await listFiles(dir);
  for (const file of present) {
    if (file !== DIGESTS_FILE && file !== SIGNATURE_FILE && !listed.has(file)) {
      throw new RegistryError(
        'PACKAGE_FILE_UNLISTED',
        `${path.join(dir, file)} is not listed in ${digestsPath}; remove it or rebuild the package`,
      );
    }
  }
  const files: PackageFile[] = [];
  let contractText: string | undefined;
  for (const [file, expected] of [...listed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bytes = await readPackageFile(path.join(dir, file), file, dir);
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new RegistryError(
        'PACKAGE_DIGEST_MISMATCH',
        `${path.join(dir, file)} has sha256 ${actual} but ${DIGESTS_FILE} lists ${expected}: the file was modified; ` +
          'fetch the package again',
      );
    }
    if (file === CONTRACT_FILE) contractText = bytes.toString('utf8');
    files.push({ path: file, sha256: actual, size: bytes.length });
  }
  if (contractText === undefined) {
    throw new RegistryError(
      'PACKAGE_FILE_MISSING',
      `${digestsPath} does not list ${CONTRACT_FILE}; a policy package needs its contract`,
    );
  }
  const contract = parsePolicyContract(contractText, path.join(dir, CONTRACT_FILE));
  if (!listed.has(contract.onnx.file)) {
    throw new RegistryError(
      'PACKAGE_FILE_MISSING',
      `${digestsPath} does not list ${contract.onnx.file}, the onnx.file named in ${CONTRACT_FILE}`,
    );
  }
  const signature = await readSignature(dir);
  const base = { dir, contract, files, digestsText, digestsSha256: `sha256:${sha256Hex(digestsText)}` };
  return signature === undefined ? base : { ...base, signature };
}

/** Options for {@link verifyPolicyPackage}. */
export interface VerifyPolicyPackageOptions {
  /** Trusted ed25519 public key; when given, the package must carry a valid signature by it. */
  readonly publicKey?: KeyObject | undefined;
  /** Also decode the ONNX graph and check it against the contract (default true). */
  readonly checkOnnx?: boolean;
}

/**
 * Everything a runtime checks before loading a package: the digests, the signature against the
 * trusted key, and the ONNX graph against the contract.
 *
 * @throws {RegistryError} `SIGNATURE_MISSING` / `SIGNATURE_INVALID` and the errors of
 *   {@link readPolicyPackage} and {@link checkOnnxAgainstContract}.
 */
export async function verifyPolicyPackage(
  dir: string,
  options: VerifyPolicyPackageOptions = {},
): Promise<PolicyPackage> {
  const pkg = await readPolicyPackage(dir);
  if (options.publicKey !== undefined) {
    if (pkg.signature === undefined) {
      throw new RegistryError(
        'SIGNATURE_MISSING',
        `${path.join(dir, SIGNATURE_FILE)} is missing but a public key is configured; sign the package (--sign-key) or remove the key`,
      );
    }
    verifyDigestsSignature(pkg.signature, pkg.digestsText, options.publicKey);
  }
  if (options.checkOnnx ?? true) {
    const onnx = await readFile(path.join(dir, pkg.contract.onnx.file));
    checkOnnxAgainstContract(onnx, pkg.contract, path.join(dir, pkg.contract.onnx.file));
  }
  return pkg;
}

/** Content of a new policy package. */
export interface PolicyPackageContent {
  /** The ONNX model bytes, written as `contract.onnx.file`. */
  readonly onnx: Uint8Array;
  readonly contract: PolicyContract | PolicyContractInput;
  /** Model card (Markdown); a card is generated from the contract when absent. */
  readonly card?: string | undefined;
  /** ed25519 private key; when given, `signature.json` is written. */
  readonly signingKey?: KeyObject | undefined;
}

/**
 * Writes a policy package directory: the ONNX file, `policy.yaml`, `card.md`, `digests` and, with a
 * signing key, `signature.json`. The graph is checked against the contract first, so a package
 * that does not match its contract is never written.
 */
export async function writePolicyPackage(dir: string, content: PolicyPackageContent): Promise<PolicyPackage> {
  const contract = validatePolicyContract(content.contract);
  checkOnnxAgainstContract(content.onnx, contract);
  const entries = new Map<string, Uint8Array | string>([
    [contract.onnx.file, content.onnx],
    [CONTRACT_FILE, formatPolicyContract(contract)],
    [CARD_FILE, content.card ?? defaultCard(contract)],
  ]);
  await mkdir(dir, { recursive: true });
  const files: PackageFile[] = [];
  for (const [file, data] of entries) {
    const target = path.join(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    files.push({ path: file, sha256: sha256Hex(bytes), size: bytes.length });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  const digestsText = formatDigests(files);
  await writeFile(path.join(dir, DIGESTS_FILE), digestsText);
  const base = { dir, contract, files, digestsText, digestsSha256: `sha256:${sha256Hex(digestsText)}` };
  if (content.signingKey === undefined) return base;
  const signature = signDigests(digestsText, content.signingKey);
  await writeFile(path.join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  return { ...base, signature };
}

/** Signs an existing package in place (after verifying its digests). */
export async function signPolicyPackage(dir: string, signingKey: KeyObject): Promise<PolicyPackage> {
  const pkg = await readPolicyPackage(dir);
  const signature = signDigests(pkg.digestsText, signingKey);
  await writeFile(path.join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  return { ...pkg, signature };
}

function defaultCard(contract: PolicyContract): string {
  const lines = [
    `# ${contract.name}`,
    '',
    contract.description ?? `Policy for robot type \`${contract.robotType}\`.`,
    '',
    `- Robot type: \`${contract.robotType}\``,
    `- Control period: ${contract.controlPeriodMs} ms`,
    `- Observation: ${contract.observation.size} values (${contract.observation.slices.map((s) => s.name).join(', ')})`,
    `- Action: ${contract.action.size} values (${contract.action.components.map((c) => c.name).join(', ')})`,
  ];
  const t = contract.training;
  if (t !== undefined) {
    for (const [key, value] of Object.entries(t)) lines.push(`- ${key}: ${String(value)}`);
  }
  for (const [key, value] of Object.entries(contract.metrics ?? {})) lines.push(`- metric ${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}

async function readPackageFile(file: string, name: string, dir: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RegistryError('PACKAGE_FILE_MISSING', `${name} is missing from the policy package ${dir}`, {
        cause: error,
      });
    }
    throw error;
  }
}

async function readSignature(dir: string): Promise<PackageSignature | undefined> {
  const file = path.join(dir, SIGNATURE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RegistryError('SIGNATURE_INVALID', `${file} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = packageSignatureSchema.safeParse(json);
  if (!parsed.success) {
    throw new RegistryError(
      'SIGNATURE_INVALID',
      `${file} is not a fleetloop signature: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RegistryError('PACKAGE_FILE_MISSING', `policy package directory ${dir} does not exist`, {
        cause: error,
      });
    }
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}
