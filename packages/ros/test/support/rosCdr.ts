import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';

type CommonType = keyof typeof ros2jazzy;

function definitions(type: CommonType) {
  return [ros2jazzy[type], ...Object.values(ros2jazzy)];
}

/** CDR (with header) of a Jazzy common message, e.g. `encodeRos('std_msgs/String', { data: 'hi' })`. */
export function encodeRos(type: CommonType, message: unknown): Uint8Array {
  return new MessageWriter(definitions(type)).writeMessage(message);
}

/** Decodes CDR (with header) of a Jazzy common message. */
export function decodeRos<T>(type: CommonType, data: Uint8Array): T {
  return new MessageReader(definitions(type)).readMessage<T>(data);
}
