import { FleetloopError } from '@fleetloop/core';

/** Stable codes of {@link DdsError}. */
export type DdsErrorCode =
  /** The native addon or libddsc could not be loaded. */
  | 'DDS_LIBRARY_MISSING'
  /** A Cyclone DDS call returned an error code. */
  | 'DDS_CALL_FAILED'
  /** A reliable write waited longer than its max blocking time for slow readers. */
  | 'DDS_WRITE_TIMEOUT'
  /** A payload too short to be CDR (no encapsulation header). */
  | 'DDS_PAYLOAD_INVALID'
  /** The writer, reader or transport was used after `close()`. */
  | 'DDS_CLOSED'
  /** A ROS network environment variable (ROS_DOMAIN_ID, …) holds an unusable value. */
  | 'DDS_CONFIG_INVALID'
  /** One topic name used with two types in one transport. */
  | 'DDS_TOPIC_TYPE_CONFLICT'
  /** Two transports in one process asked for one domain with different configurations. */
  | 'DDS_CONFIG_CONFLICT';

/** Raised by the Cyclone DDS transport. */
export class DdsError extends FleetloopError {
  declare readonly code: DdsErrorCode;

  constructor(code: DdsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
