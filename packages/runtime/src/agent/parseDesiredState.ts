import { validateConfig } from '@fleetloop/core';
import { parse } from 'yaml';
import { RuntimeError } from '../RuntimeError.js';
import { desiredStateSchema, type DesiredState } from './desiredState.js';

/**
 * Parses a desired-state document (YAML or JSON) from `where` (a file or MQTT topic).
 *
 * @throws {RuntimeError} `DESIRED_STATE_INVALID` naming `where`, the field and the problem.
 */
export function parseDesiredState(text: string, where: string): DesiredState {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new RuntimeError(
      'DESIRED_STATE_INVALID',
      `${where} is not valid YAML or JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    return validateConfig(desiredStateSchema, value ?? {}, { file: where });
  } catch (error) {
    throw new RuntimeError('DESIRED_STATE_INVALID', (error as Error).message, { cause: error });
  }
}
