import { FleetloopError } from '@fleetloop/core';

/** Stable codes of {@link RuntimeError}. */
export type RuntimeErrorCode =
  | 'CONTRACT_MISMATCH'
  | 'CONTRACT_UNSUPPORTED'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_RUN_FAILED'
  | 'POLICY_FETCH_FAILED'
  | 'DESIRED_STATE_INVALID'
  | 'FIELD_PATH_INVALID';

/** Raised by the on-robot runtime: contract checks, model loading, policy fetches, desired state. */
export class RuntimeError extends FleetloopError {
  declare readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
