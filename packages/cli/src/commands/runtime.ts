import type { Command } from 'commander';
import { loadConfig, ShutdownController } from '@fleetloop/core';
import { runtimeConfigSchema, startRuntimeService } from '@fleetloop/runtime';
import { configOption } from '../globalConfig.js';

/**
 * `fleetloop runtime --config runtime.yaml`: runs a policy on the robot — the ONNX control loop
 * with its safety filter, shadow evaluation and hot swap, following the desired state — until
 * SIGINT or SIGTERM, then publishes a zero command and stops.
 */
export function registerRuntimeCommand(program: Command): void {
  program
    .command('runtime')
    .description('run the on-robot policy runtime (ONNX control loop, safety filter, model agent)')
    .addOption(configOption('runtime configuration (YAML)').makeOptionMandatory())
    .action(async (options: { config: string }) => {
      const config = await loadConfig({ schema: runtimeConfigSchema, file: options.config });
      const service = await startRuntimeService(config);
      const shutdown = new ShutdownController({ logger: service.logger, timeoutMs: 10_000 });
      shutdown.add('runtime', () => service.close());
      shutdown.listen();
      await shutdown.requested;
      await shutdown.shutdown();
    });
}
