import { z } from 'zod';

/** Log settings shared by every service. */
export const logConfigSchema = z.strictObject({
  /** Minimum level written. */
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** `auto`: human-readable on a terminal, JSON lines otherwise. */
  format: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

/** ROS 2 network settings; unset fields fall back to `ROS_DOMAIN_ID` / `ROS_LOCALHOST_ONLY`. */
export const rosNetworkConfigSchema = z.strictObject({
  /** DDS domain (ROS_DOMAIN_ID); valid ROS 2 domains are 0–232. */
  domainId: z.int().min(0).max(232).optional(),
  /** Keep DDS traffic on loopback (ROS_LOCALHOST_ONLY=1). */
  localhostOnly: z.boolean().optional(),
});

const nameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" or "_", starting with a letter or digit');

/**
 * The sections every fleetloop service shares. A service's own schema extends this one, so one
 * YAML file can configure several services.
 */
export const fleetConfigSchema = z.strictObject({
  /** Site name used in MQTT topics and desired-state paths. */
  site: nameSchema.default('lab'),
  /** Directory for local state: queues, caches, the embedded stores. */
  dataDir: z.string().min(1).default('.fleetloop'),
  log: logConfigSchema.prefault({}),
  ros: rosNetworkConfigSchema.prefault({}),
});

/** The validated shared configuration. */
export type FleetConfig = z.output<typeof fleetConfigSchema>;
export type LogConfig = z.output<typeof logConfigSchema>;
