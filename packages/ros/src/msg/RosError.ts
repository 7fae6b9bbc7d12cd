import { FleetloopError } from '@fleetloop/core';

/**
 * Stable codes of {@link RosError}:
 * - `ROS_INVALID_NAME`: a topic, namespace or type name breaks the ROS 2 naming rules.
 * - `ROS_UNKNOWN_TYPE`: no message definition is known for a type.
 * - `ROS_DEFINITION_INVALID`: a `.msg` file or definition text cannot be parsed.
 * - `ROS_DECODE_FAILED`: a CDR payload does not match its definition ({@link RosDecodeError}).
 * - `ROS_ENCODE_FAILED`: a message object cannot be serialised with its definition.
 * - `ROS_CLOSED`: a transport, reader, writer or node was used after `close()`.
 * - `ROS_QOS_INVALID`: a QoS profile name or override is not valid.
 * - `ROS_MCAP_INVALID`: an MCAP file is truncated, corrupt or not a ROS 2 recording.
 */
export type RosErrorCode =
  | 'ROS_INVALID_NAME'
  | 'ROS_UNKNOWN_TYPE'
  | 'ROS_DEFINITION_INVALID'
  | 'ROS_DECODE_FAILED'
  | 'ROS_ENCODE_FAILED'
  | 'ROS_CLOSED'
  | 'ROS_QOS_INVALID'
  | 'ROS_MCAP_INVALID';

/** Every error `@fleetloop/ros` raises on purpose. */
export class RosError extends FleetloopError {
  declare readonly code: RosErrorCode;

  constructor(code: RosErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
