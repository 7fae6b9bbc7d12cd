/**
 * Why the safety filter changed or replaced the policy's command.
 * - `estop`: the e-stop topic holds true.
 * - `stale_observation`: a source topic's newest message is older than the limit.
 * - `invalid_observation`: a source message is missing or has the wrong shape.
 * - `non_finite_action`: the model output NaN or ±∞.
 * - `deadline`: too many consecutive steps overran their period (degraded).
 * - `clearance`: an obstacle is closer than the minimum clearance ahead; forward motion is blocked.
 * - `velocity_limit` / `acceleration_limit`: a command was clamped.
 * - `model_error`: the model failed to run.
 */
export type InterventionReason =
  | 'estop'
  | 'stale_observation'
  | 'invalid_observation'
  | 'non_finite_action'
  | 'deadline'
  | 'model_error'
  | 'clearance'
  | 'velocity_limit'
  | 'acceleration_limit';

/** Every reason, in the order they are checked. */
export const INTERVENTION_REASONS: readonly InterventionReason[] = [
  'estop',
  'stale_observation',
  'invalid_observation',
  'non_finite_action',
  'deadline',
  'model_error',
  'clearance',
  'velocity_limit',
  'acceleration_limit',
];

/** Reasons the active model is responsible for; they count against it during probation. */
export const MODEL_REASONS: ReadonlySet<InterventionReason> = new Set([
  'non_finite_action',
  'model_error',
  'clearance',
]);
