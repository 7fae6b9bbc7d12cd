/**
 * @module @fleetloop/core
 * What every fleetloop service shares: typed errors, configuration loading with schema
 * validation and environment overrides, JSON-lines logging, clean shutdown, and the operations
 * endpoint (`/healthz`, `/readyz`, `/metrics`).
 */
export { FleetloopError, ConfigError, type ConfigProblem } from './FleetloopError.js';
export { loadConfig, validateConfig, formatPath, ENV_PREFIX, type LoadConfigOptions } from './config.js';
export {
  fleetConfigSchema,
  logConfigSchema,
  rosNetworkConfigSchema,
  type FleetConfig,
  type LogConfig,
} from './fleetConfig.js';
export { createLogger, type CreateLoggerOptions, type Logger } from './logger.js';
export { ShutdownController, type ShutdownOptions, type ShutdownStep } from './shutdown.js';
export { OpsServer, type OpsServerOptions, type ReadinessCheck } from './OpsServer.js';
