/** Process exit codes shared by every `fleetloop` subcommand. */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** The command ran and failed (a check failed, a peer refused, a file was tampered with). */
  Failure: 1,
  /** The command was called wrongly: unknown option, missing argument, invalid configuration. */
  Usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
