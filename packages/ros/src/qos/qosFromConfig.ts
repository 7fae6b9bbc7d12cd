import { z } from 'zod';
import { RosError } from '../msg/RosError.js';
import type { QosProfile } from '../transport/RosTransport.js';
import { QOS_PROFILES, type QosProfileName } from './profiles.js';

const profileNames = Object.keys(QOS_PROFILES) as [QosProfileName, ...QosProfileName[]];
const positiveMs = z.number().positive();

/**
 * QoS as written in a configuration file: a profile name (`sensor_data`), or an object naming a
 * profile (default `default`) with overrides.
 *
 * @example
 * qos: sensor_data
 * qos: { profile: sensor_data, depth: 1 }
 * qos: { reliability: reliable, durability: transient_local, depth: 1 }
 */
export const qosConfigSchema = z.union([
  z.enum(profileNames),
  z.strictObject({
    profile: z.enum(profileNames).default('default'),
    reliability: z.enum(['reliable', 'best_effort']).optional(),
    durability: z.enum(['volatile', 'transient_local']).optional(),
    history: z.enum(['keep_last', 'keep_all']).optional(),
    /** keep_last depth; implies `history: keep_last`. */
    depth: z.int().min(1).optional(),
    deadlineMs: positiveMs.optional(),
    lifespanMs: positiveMs.optional(),
    livelinessLeaseMs: positiveMs.optional(),
  }),
]);

/** The QoS section of a configuration before it is resolved. */
export type QosConfig = z.input<typeof qosConfigSchema>;

/**
 * Resolves a QoS configuration (validated or not) to a {@link QosProfile}. Throws
 * `ROS_QOS_INVALID` naming `where` (e.g. `routes[2].qos`), the value and what is accepted.
 */
export function qosFromConfig(config: unknown, where = 'qos'): QosProfile {
  const parsed = qosConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? `${where}.${issue.path.join('.')}` : where;
    throw new RosError(
      'ROS_QOS_INVALID',
      `Invalid QoS at ${path}: ${JSON.stringify(config)} (${issue?.message ?? 'invalid'}). ` +
        `Use a profile name (${profileNames.join(', ')}) or { profile, reliability, durability, history, depth, deadlineMs, lifespanMs, livelinessLeaseMs }.`,
    );
  }
  const value = parsed.data;
  if (typeof value === 'string') {
    return QOS_PROFILES[value];
  }
  const base = QOS_PROFILES[value.profile];
  if (value.history === 'keep_all' && value.depth !== undefined) {
    throw new RosError(
      'ROS_QOS_INVALID',
      `Invalid QoS at ${where}: depth ${value.depth} with history keep_all; depth applies to keep_last only. Remove one of them.`,
    );
  }
  const depth = value.depth ?? (base.history.kind === 'keep_last' ? base.history.depth : 1);
  const history: QosProfile['history'] =
    value.history === 'keep_all' ||
    (value.history === undefined && value.depth === undefined && base.history.kind === 'keep_all')
      ? { kind: 'keep_all' }
      : { kind: 'keep_last', depth };
  const optional = <K extends 'deadlineMs' | 'lifespanMs' | 'livelinessLeaseMs'>(key: K) => {
    const v = value[key] ?? base[key];
    return v === undefined ? {} : { [key]: v };
  };
  return {
    reliability: value.reliability ?? base.reliability,
    durability: value.durability ?? base.durability,
    history,
    ...optional('deadlineMs'),
    ...optional('lifespanMs'),
    ...optional('livelinessLeaseMs'),
  };
}

/** One-line description of a profile for logs: `reliable/transient_local/keep_last(1)`. */
export function describeQos(qos: QosProfile): string {
  const history = qos.history.kind === 'keep_last' ? `keep_last(${qos.history.depth})` : 'keep_all';
  const extras = [
    qos.deadlineMs === undefined ? undefined : `deadline ${qos.deadlineMs} ms`,
    qos.lifespanMs === undefined ? undefined : `lifespan ${qos.lifespanMs} ms`,
    qos.livelinessLeaseMs === undefined ? undefined : `liveliness ${qos.livelinessLeaseMs} ms`,
  ].filter((e) => e !== undefined);
  return [`${qos.reliability}/${qos.durability}/${history}`, ...extras].join(', ');
}
