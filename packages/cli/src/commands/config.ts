import type { Command } from 'commander';
import { stringify } from 'yaml';
import { fleetConfigSchema, loadConfig } from '@fleetloop/core';

/** `fleetloop config check FILE`: validates a configuration file and prints the result. */
export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('inspect and validate configuration files');
  config
    .command('check')
    .description(
      'validate the shared sections of a configuration file and print them with defaults filled in',
    )
    .argument('<file>', 'configuration file (YAML)')
    .action(async (file: string) => {
      const resolved = await loadConfig({ schema: fleetConfigSchema.loose(), file });
      process.stdout.write(stringify(resolved));
    });
}
