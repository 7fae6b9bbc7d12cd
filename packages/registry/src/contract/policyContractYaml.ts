import { readFile } from 'node:fs/promises';
import { ConfigError, validateConfig } from '@fleetloop/core';
import { parseDocument, stringify } from 'yaml';
import {
  policyContractSchema,
  type PolicyContract,
  type PolicyContractInput,
} from './policyContractSchema.js';

/**
 * Parses and validates `policy.yaml` text.
 *
 * @throws {ConfigError} naming the file, each field path and what was wrong.
 */
export function parsePolicyContract(text: string, file = 'policy.yaml'): PolicyContract {
  const doc = parseDocument(text, { prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const pos = yamlError.linePos?.[0];
    const at = pos === undefined ? '' : `:${pos.line}:${pos.col}`;
    throw new ConfigError(`${file}${at} is not valid YAML: ${yamlError.message}`, { file, cause: yamlError });
  }
  return validateConfig(policyContractSchema, doc.toJS() as unknown, { file });
}

/** Validates a contract given as an object (e.g. built by a training run). */
export function validatePolicyContract(
  value: PolicyContractInput | PolicyContract,
  origin = 'policy contract',
): PolicyContract {
  return validateConfig(policyContractSchema, value, { file: origin });
}

/**
 * Reads and validates a `policy.yaml` file.
 *
 * @throws {ConfigError} when the file is missing, not YAML or not a valid contract.
 */
export async function readPolicyContract(file: string): Promise<PolicyContract> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error);
    throw new ConfigError(`Cannot read policy contract ${file}: ${reason}`, { file, cause: error });
  }
  return parsePolicyContract(text, file);
}

/** Renders a contract as `policy.yaml` text. */
export function formatPolicyContract(contract: PolicyContract): string {
  return stringify(contract, { lineWidth: 0 });
}
