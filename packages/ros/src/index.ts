/**
 * @module @fleetloop/ros
 * ROS 2 for fleetloop without a ROS installation: transports (Cyclone DDS, in-process), CDR
 * codecs for ROS 2 message definitions, QoS profiles, and MCAP recording.
 */
export type * from './transport/RosTransport.js';
export { RosError, type RosErrorCode } from './msg/RosError.js';
export { RosDecodeError, type RosDecodeErrorDetails } from './msg/RosDecodeError.js';
export {
  validateTopicName,
  validateNamespace,
  resolveTopicName,
  rosTopicToDds,
  ddsTopicToRos,
  parseTypeName,
  normalizeTypeName,
  rosTypeToDds,
  ddsTypeToRos,
  type RosTypeName,
} from './msg/rosNames.js';
export { InProcessTransport, type InProcessTransportOptions } from './transport/InProcessTransport.js';
export { InProcessDomain } from './transport/InProcessTransportDomain.js';
export * from './qos/profiles.js';
export * from './dds/index.js';
export {
  MessageDefinitionRegistry,
  type MessageDefinitionRegistryOptions,
} from './msg/MessageDefinitionRegistry.js';
export { MessageCodec } from './msg/MessageCodec.js';
export { DEFINITION_SEPARATOR, toRos2MsgText } from './msg/definitionText.js';
export * from './msg/commonTypes.js';
export * from './msg/commonMessages.js';
export * from './msg/time.js';
export { qosFromConfig, qosConfigSchema, describeQos, type QosConfig } from './qos/qosFromConfig.js';
export { RosNode, type RosNodeOptions, type RosNodeEvents, type MessageCallback } from './node/RosNode.js';
export { RosPublisher } from './node/RosPublisher.js';
export { RosSubscription } from './node/RosSubscription.js';
export { McapRecorder, type McapRecorderOptions, type McapWriteOptions } from './mcap/McapRecorder.js';
export {
  McapPlaybackReader,
  type McapPlaybackOptions,
  type McapMessageFilter,
  type McapRosMessage,
  type McapTopicInfo,
} from './mcap/McapPlaybackReader.js';
export { McapFileWritable } from './mcap/McapFileWritable.js';
export { McapFileReadable } from './mcap/McapFileReadable.js';
export { MCAP_DECOMPRESS_HANDLERS, type McapCompression } from './mcap/chunkCompression.js';
