import { Option } from 'commander';

/**
 * The `-c, --config <file>` option every service command takes. Fields of the file can be
 * overridden with `FLEETLOOP_*` environment variables (see `@fleetloop/core` `loadConfig`).
 */
export function configOption(description = 'configuration file (YAML)'): Option {
  return new Option(
    '-c, --config <file>',
    `${description}; FLEETLOOP_* environment variables override its fields`,
  );
}
