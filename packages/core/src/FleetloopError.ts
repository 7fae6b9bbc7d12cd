/**
 * Base class for every error fleetloop raises on purpose. Each package derives its own class with
 * stable `code` values so callers (and the CLI's exit codes) can branch without parsing messages.
 */
export class FleetloopError extends Error {
  /** Stable, machine-readable identifier, e.g. `CONFIG_INVALID` or `DDS_LIBRARY_MISSING`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Raised for a configuration that cannot be used: the CLI exits with code 2 on it. */
export class ConfigError extends FleetloopError {
  /** The file the configuration came from, when it came from one. */
  readonly file: string | undefined;
  /** Every problem found, each with its field path, expectation and what was found. */
  readonly problems: readonly ConfigProblem[];

  constructor(
    message: string,
    options: { file?: string | undefined; problems?: ConfigProblem[]; cause?: unknown },
  ) {
    super('CONFIG_INVALID', message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.problems = options.problems ?? [];
  }
}

/** One reason a configuration was rejected. */
export interface ConfigProblem {
  /** Dotted field path with array indices, e.g. `routes[2].qos`. */
  readonly path: string;
  /** What the schema accepts at that path, in words. */
  readonly expected: string;
  /** What the configuration holds there, rendered for a human. */
  readonly found: string;
  /** Where the value came from: the file, or the environment variable that overrode it. */
  readonly source: string;
}
