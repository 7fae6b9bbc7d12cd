import type { Command } from 'commander';
import { fleetConfigSchema, loadConfig } from '@fleetloop/core';
import { ExitCode } from '../ExitCode.js';
import { configOption } from '../globalConfig.js';
import { runDoctor, systemChecks } from '../doctor/doctor.js';
import { formatDoctorTable } from '../doctor/formatTable.js';

/**
 * `fleetloop up`: the whole loop on embedded defaults. The loop's services land one by one; until
 * the simulated fleet with connectors and runtimes exists, `up` checks the machine and says
 * plainly what it cannot run yet.
 */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the whole loop on one machine with embedded defaults')
    .addOption(configOption())
    .action(async (options: { config?: string }) => {
      const config = await loadConfig({ schema: fleetConfigSchema, file: options.config });
      const results = await runDoctor(systemChecks(config.dataDir));
      process.stdout.write(formatDoctorTable(results));
      process.stdout.write(
        '\nfleetloop up: the simulated fleet (robots, connectors, runtimes) is not part of this build yet.\n' +
          'What runs today: `fleetloop doctor` (above) and `fleetloop config check FILE`.\n',
      );
      process.exitCode = results.some((r) => r.required && r.status === 'missing')
        ? ExitCode.Failure
        : ExitCode.Ok;
    });
}
