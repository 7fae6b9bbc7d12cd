import { RegistryError } from '../RegistryError.js';
import type { AliasMoveRequest } from './ModelMetadataStore.js';

/** Enforces an alias move's compare-and-set condition. */
export function checkExpected(request: AliasMoveRequest, current: number | null): void {
  if (request.expectedVersion === undefined || request.expectedVersion === current) return;
  throw new RegistryError(
    'ALIAS_CONFLICT',
    `alias ${request.model}@${request.alias} points at ${current === null ? 'nothing' : `version ${current}`}, ` +
      `not ${request.expectedVersion === null ? 'nothing' : `version ${request.expectedVersion}`} as expected; ` +
      'read it again and retry',
  );
}
