import { createLogger, type Logger } from '@fleetloop/core';
import {
  DdsTransport,
  InProcessTransport,
  MessageDefinitionRegistry,
  type RosTransport,
} from '@fleetloop/ros';
import { rosMessageCodecs } from './bridge/rosMessageCodecs.js';
import type { ConnectorConfig } from './config/connectorConfig.js';
import { Connector } from './Connector.js';

/** A connector with the transport and message registry its configuration names. */
export interface ConnectorService {
  readonly connector: Connector;
  readonly transport: RosTransport;
  readonly logger: Logger;
  /** Stops the connector (draining its queues up to `drainTimeoutMs`), then closes the transport. */
  close(options?: { readonly drainTimeoutMs?: number }): Promise<void>;
}

/**
 * Builds and starts what `fleetloop connector` runs: the ROS transport from `config.transport`
 * (Cyclone DDS on `config.ros.domainId`, honouring ROS_DOMAIN_ID / ROS_LOCALHOST_ONLY otherwise),
 * the message registry with the common interfaces and `config.msgDirs`, and the {@link Connector}.
 */
export async function startConnectorService(
  config: ConnectorConfig,
  options: { readonly logger?: Logger } = {},
): Promise<ConnectorService> {
  const logger = (options.logger ?? createLogger({ name: 'connector', ...config.log })).child({
    robot: config.robot,
  });
  const registry = new MessageDefinitionRegistry();
  for (const dir of config.msgDirs) {
    const types = await registry.loadMsgDirectory(dir);
    logger.info({ dir, types: types.length }, 'loaded message definitions');
  }
  const transport: RosTransport =
    config.transport === 'dds'
      ? new DdsTransport({
          ...(config.ros.domainId === undefined ? {} : { domainId: config.ros.domainId }),
          ...(config.ros.localhostOnly === true ? { discoveryRange: 'localhost' as const } : {}),
        })
      : new InProcessTransport();
  const connector = new Connector({ config, transport, codecs: rosMessageCodecs(registry), logger });
  try {
    await connector.start();
  } catch (error) {
    await transport.close();
    throw error;
  }
  return {
    connector,
    transport,
    logger,
    async close(closeOptions = {}) {
      await connector.stop(closeOptions);
      await transport.close();
    },
  };
}
