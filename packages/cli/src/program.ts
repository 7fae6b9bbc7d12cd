import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { ConfigError, FleetloopError } from '@fleetloop/core';
import { registerConfigCommand } from './commands/config.js';
import { registerConnectorCommand } from './commands/connector.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerModelCommand } from './commands/model.js';
import { registerRuntimeCommand } from './commands/runtime.js';
import { registerSimCommand } from './commands/sim.js';
import { registerTrainCommand } from './commands/train.js';
import { registerUpCommand } from './commands/up.js';
import { ExitCode } from './ExitCode.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Builds the `fleetloop` command tree; each subcommand lives in `commands/<name>.ts`. */
export function buildProgram(): Command {
  const program = new Command('fleetloop')
    .description('Closed-loop MLOps for ROS 2 robot fleets')
    .version(version, '-V, --version', 'print the fleetloop version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerUpCommand(program);
  registerDoctorCommand(program);
  registerConfigCommand(program);
  registerConnectorCommand(program);
  registerModelCommand(program);
  registerRuntimeCommand(program);
  registerSimCommand(program);
  registerTrainCommand(program);
  return program;
}

/**
 * Runs the CLI and resolves to its exit code: 0 ok, 1 failure, 2 bad usage or configuration.
 * Errors are printed here, once, so commands only throw.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message (or the help/version text).
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`fleetloop: ${error.message}\n`);
    return ExitCode.Usage;
  }
  if (error instanceof FleetloopError) {
    process.stderr.write(`fleetloop: ${error.message} [${error.code}]\n`);
    return ExitCode.Failure;
  }
  process.stderr.write(
    `fleetloop: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return ExitCode.Failure;
}
