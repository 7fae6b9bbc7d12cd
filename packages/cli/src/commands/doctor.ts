import type { Command } from 'commander';
import { fleetConfigSchema, loadConfig } from '@fleetloop/core';
import { ExitCode } from '../ExitCode.js';
import { configOption } from '../globalConfig.js';
import { runDoctor, systemChecks } from '../doctor/doctor.js';
import { formatDoctorTable } from '../doctor/formatTable.js';

/** `fleetloop doctor`: checks what fleetloop uses on this machine. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check what fleetloop needs on this machine and print how to install what is missing')
    .addOption(configOption())
    .option('--json', 'print the results as JSON')
    .addHelpText('after', '\nExit code 1 when something required is missing; optional items only warn.')
    .action(async (options: { config?: string; json?: boolean }) => {
      const config = await loadConfig({ schema: fleetConfigSchema, file: options.config });
      const results = await runDoctor(systemChecks(config.dataDir));
      process.stdout.write(
        options.json === true ? `${JSON.stringify(results, null, 2)}\n` : formatDoctorTable(results),
      );
      const failed = results.some((r) => r.required && r.status === 'missing');
      process.exitCode = failed ? ExitCode.Failure : ExitCode.Ok;
    });
}
