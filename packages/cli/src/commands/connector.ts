import type { Command } from 'commander';
import { loadConfig, ShutdownController } from '@fleetloop/core';
import { connectorConfigSchema, startConnectorService } from '@fleetloop/connector';
import { configOption } from '../globalConfig.js';

/**
 * `fleetloop connector --config connector.yaml`: carries the configured ROS 2 topics to the MQTT
 * broker and commands back until SIGINT or SIGTERM, then drains the store-and-forward queues
 * (bounded by `--drain-timeout`), publishes the `offline` status and closes its files.
 */
export function registerConnectorCommand(program: Command): void {
  program
    .command('connector')
    .description('bridge ROS 2 topics to an MQTT v5 broker (and commands back)')
    .addOption(configOption('connector configuration (YAML)').makeOptionMandatory())
    .option('--drain-timeout <ms>', 'longest wait for queued messages on shutdown', '5000')
    .action(async (options: { config: string; drainTimeout: string }) => {
      const config = await loadConfig({ schema: connectorConfigSchema, file: options.config });
      const service = await startConnectorService(config);
      const drainTimeoutMs = Number(options.drainTimeout);
      const shutdown = new ShutdownController({ logger: service.logger, timeoutMs: drainTimeoutMs + 5_000 });
      shutdown.add('connector', () => service.close({ drainTimeoutMs }));
      shutdown.listen();
      await shutdown.requested;
      await shutdown.shutdown();
    });
}
