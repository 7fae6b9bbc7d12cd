import { FleetloopError } from '@fleetloop/core';

/**
 * Stable codes of {@link SimError}:
 * - `SIM_UNKNOWN_SUITE`: a scenario suite name is not registered.
 * - `SIM_INVALID_ARGUMENT`: a buffer, seed, count or option has the wrong size or value.
 * - `SIM_NOT_RESET`: an environment was stepped before `reset()`.
 * - `SIM_NO_PATH`: the planner found no collision-free path from start to goal.
 * - `SIM_CLOSED`: a robot or fleet was used after `close()`.
 */
export type SimErrorCode =
  'SIM_UNKNOWN_SUITE' | 'SIM_INVALID_ARGUMENT' | 'SIM_NOT_RESET' | 'SIM_NO_PATH' | 'SIM_CLOSED';

/** Every error `@fleetloop/sim` raises on purpose. */
export class SimError extends FleetloopError {
  declare readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
