/**
 * @module @fleetloop/connector
 * Carries chosen ROS 2 topics from a robot to an MQTT v5 broker and commands back: routes with
 * topic/type filters, CDR or JSON encoding, rate and size limits; a crash-safe on-disk
 * store-and-forward queue for QoS 1 routes; TLS, mTLS, password and Kubernetes service-account-token
 * authentication; Prometheus metrics.
 */
export { Connector, CONNECTOR_VERSION, type ConnectorOptions, type ConnectorStatus } from './Connector.js';
export { ConnectorError, type ConnectorErrorCode } from './ConnectorError.js';
export { EmbeddedBroker } from './EmbeddedBroker.js';
export { startConnectorService, type ConnectorService } from './ConnectorService.js';
export {
  connectorConfigSchema,
  routeConfigSchema,
  reverseRouteConfigSchema,
  brokerConfigSchema,
  queueConfigSchema,
  type ConnectorConfig,
  type ConnectorConfigInput,
  type RouteConfig,
  type ReverseRouteConfig,
  type BrokerConfig,
  type QueueConfig,
  type TopicPattern,
} from './config/connectorConfig.js';
export { type MessageCodecs, messageToJson } from './bridge/MessageCodecs.js';
export { rosMessageCodecs } from './bridge/rosMessageCodecs.js';
export type { RouteCounts } from './bridge/ForwardRoute.js';
export {
  StoreAndForwardQueue,
  type StoreAndForwardQueueOptions,
  type EnqueueResult,
  type QueueEntry,
  type OverflowPolicy,
} from './queue/StoreAndForwardQueue.js';
export {
  SegmentLog,
  type SegmentLogOptions,
  type SegmentLogRecovery,
  type FsyncPolicy,
} from './queue/SegmentLog.js';
export type { QueuedMessage } from './queue/QueuedMessage.js';
export { ConnectorMetrics, type DropReason } from './metrics/ConnectorMetrics.js';
export { backoffDelay, type BackoffOptions } from './mqtt/backoff.js';
export { TopicFilter, compilePattern } from './routes/TopicFilter.js';
export { renderTopicTemplate, definitionTopic, statusTopic } from './routes/topicTemplate.js';
