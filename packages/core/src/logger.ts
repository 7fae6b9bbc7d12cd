import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogConfig } from './fleetConfig.js';

export type { Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions extends Partial<LogConfig> {
  /** Component name written on every line (`connector`, `runtime`, …). */
  readonly name: string;
  /** Where lines go; defaults to standard error so standard output stays free for results. */
  readonly destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * JSON-lines logger (pino). With `format: auto` it writes human-readable, coloured lines when the
 * destination is a terminal and JSON lines otherwise, so pipes and log collectors get JSON.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const format = options.format ?? 'auto';
  const usePretty = format === 'pretty' || (format === 'auto' && destination.isTTY === true);
  const base = { name: options.name, level: options.level ?? 'info' };
  if (usePretty) {
    return pino(base, pretty({ destination, colorize: destination.isTTY === true, sync: true }));
  }
  return pino(base, destination);
}
