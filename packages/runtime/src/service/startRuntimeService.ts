import { createLogger, type Logger } from '@fleetloop/core';
import { DdsTransport, InProcessTransport, type RosTransport } from '@fleetloop/ros';
import type { RuntimeConfig } from '../config/runtimeConfig.js';
import { PolicyRuntime } from '../PolicyRuntime.js';

/** A running runtime service and how to stop it. */
export interface RuntimeService {
  readonly runtime: PolicyRuntime;
  readonly transport: RosTransport;
  readonly logger: Logger;
  /** Stops the loop (last command zero), the sources and servers, releases models, closes the transport. */
  close(): Promise<void>;
}

/**
 * Starts the runtime of `fleetloop runtime --config runtime.yaml`: opens the configured ROS
 * transport (Cyclone DDS honouring `ros.domainId` / `ros.localhostOnly`, or in-process), starts
 * the {@link PolicyRuntime} and resolves once its initial desired state was handled.
 */
export async function startRuntimeService(
  config: RuntimeConfig,
  options: { readonly logger?: Logger; readonly transport?: RosTransport } = {},
): Promise<RuntimeService> {
  const logger = (options.logger ?? createLogger({ name: 'runtime', ...config.log })).child({
    robot: config.runtime.robot.name,
  });
  const owned = options.transport === undefined;
  const transport: RosTransport =
    options.transport ??
    (config.runtime.transport === 'dds'
      ? new DdsTransport({
          ...(config.ros.domainId === undefined ? {} : { domainId: config.ros.domainId }),
          ...(config.ros.localhostOnly === true ? { discoveryRange: 'localhost' as const } : {}),
        })
      : new InProcessTransport());
  const runtime = new PolicyRuntime({ config, transport, logger });
  const close = async (): Promise<void> => {
    await runtime.close();
    if (owned) await transport.close();
  };
  try {
    await runtime.start();
  } catch (error) {
    await close();
    throw error;
  }
  logger.info(
    { opsUrl: runtime.opsUrl, active: runtime.swap.active?.version, transport: transport.kind },
    'runtime started',
  );
  return { runtime, transport, logger, close };
}
