import { fleetConfigSchema } from '@fleetloop/core';
import { z } from 'zod';

/** A topic or type pattern: a glob string (`/robot_*\/scan`, `sensor_msgs/msg/*`) or `{ regex }`. */
const patternSchema = z.union([
  z.string().min(1),
  z.strictObject({
    regex: z
      .string()
      .min(1)
      .refine((source) => isValidRegex(source), 'a valid JavaScript regular expression'),
  }),
]);

/** Include/exclude lists; an empty include list matches everything. */
const filterSchema = z.strictObject({
  include: z.array(patternSchema).default([]),
  exclude: z.array(patternSchema).default([]),
});

const routeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" or "_", starting with a letter or digit');

/** One ROS 2 → MQTT route. */
export const routeConfigSchema = z.strictObject({
  /** Route name: metric label and queue directory name. */
  name: routeNameSchema,
  /** Which ROS topic names the route carries. */
  topics: filterSchema.prefault({}),
  /** Which ROS type names the route carries. */
  types: filterSchema.prefault({}),
  /** `cdr`: the raw CDR bytes; `json`: decoded with the message definition. */
  encoding: z.enum(['cdr', 'json']).default('cdr'),
  /** MQTT QoS; QoS 1 routes go through the on-disk store-and-forward queue. */
  qos: z.literal([0, 1]).default(0),
  /** Publish with the MQTT retain flag (the broker keeps the latest per topic). */
  retain: z.boolean().default(false),
  /** Highest rate per topic in Hz; faster messages are replaced by the latest. Omitted = unlimited. */
  maxRateHz: z.number().positive().optional(),
  /** Largest payload in bytes; larger messages are dropped and counted. */
  maxMessageBytes: z
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  /** MQTT topic; `{site}`, `{robot}`, `{topic}` (ROS name without the leading `/`) and `{type}`. */
  topic: z.string().min(1).default('fleetloop/v1/{site}/{robot}/ros/{topic}'),
  /** QoS 1 only: when the queue is full, drop the oldest records or refuse new ones. */
  overflow: z.enum(['drop-oldest', 'block']).default('drop-oldest'),
  /** QoS 1 only: this route's share of the disk budget; defaults to `queue.maxBytes`. */
  queueBytes: z.int().positive().optional(),
  /** DDS reliability of the ROS reader. */
  reliability: z.enum(['reliable', 'best_effort']).default('reliable'),
  /**
   * History of the ROS reader: a number keeps the last that many samples not yet taken (a burst
   * beyond it while the connector is busy loses the oldest); `keep_all` keeps up to 1000 and then
   * holds reliable writers back, so writers that keep all (recorders' sources, datasets) lose
   * nothing and wait instead, as for any reliable keep-all subscriber.
   */
  history: z.union([z.int().positive(), z.literal('keep_all')]).default(1000),
});

/** One MQTT → ROS 2 route (commands, goals, e-stop). */
export const reverseRouteConfigSchema = z.strictObject({
  name: routeNameSchema,
  /**
   * MQTT topic filter subscribed to; the part matched by the trailing `#` becomes the ROS topic.
   * `{site}` and `{robot}` are substituted.
   */
  mqttTopic: z
    .string()
    .regex(/^[^#+]+\/#$/, 'an MQTT topic filter ending in "/#" (the rest names the ROS topic)')
    .default('fleetloop/v1/{site}/{robot}/cmd/#'),
  /** ROS topics this route may write (globs or `{ regex }`); empty = any. */
  topics: filterSchema.prefault({}),
  /** Allow-list of ROS types this route may write; a message of any other type is refused. */
  types: z.array(z.string().min(1)).min(1),
  /** MQTT subscription QoS. */
  qos: z.literal([0, 1]).default(1),
  /** DDS reliability of the ROS writers. */
  reliability: z.enum(['reliable', 'best_effort']).default('reliable'),
});

const tlsSchema = z.strictObject({
  /** PEM CA bundle used to verify the broker. */
  ca: z.string().min(1).optional(),
  /** PEM client certificate (mTLS). */
  cert: z.string().min(1).optional(),
  /** PEM client key (mTLS). */
  key: z.string().min(1).optional(),
  /** Server name for SNI and certificate verification; defaults to the URL host. */
  servername: z.string().min(1).optional(),
  rejectUnauthorized: z.boolean().default(true),
});

/** Broker connection. */
export const brokerConfigSchema = z.strictObject({
  /** `mqtt://host:port` or `mqtts://host:port`. */
  url: z
    .string()
    .regex(/^mqtts?:\/\/[^/\s]+$/, 'an mqtt:// or mqtts:// URL with host and port')
    .default('mqtt://127.0.0.1:1883'),
  /** MQTT protocol version: 5 (default) or 4 (3.1.1: no user properties, for the embedded broker). */
  protocolVersion: z.literal([5, 4]).default(5),
  /** Client identifier; defaults to `fleetloop-connector-<site>-<robot>`. */
  clientId: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  /** Password; prefer `passwordFile` (or `FLEETLOOP_BROKER__PASSWORD`). */
  password: z.string().optional(),
  passwordFile: z.string().min(1).optional(),
  tls: tlsSchema.optional(),
  /**
   * Kubernetes service-account-token authentication (Azure IoT Operations MQ): CONNECT carries
   * `authenticationMethod: K8S-SAT` and the token file's bytes, re-read on every connection.
   */
  serviceAccountTokenFile: z.string().min(1).optional(),
  keepaliveS: z.int().min(0).max(65535).default(30),
  connectTimeoutMs: z.int().positive().default(10_000),
  /** Reconnect delay: exponential from `initialMs` to `maxMs`, with full jitter. */
  backoff: z
    .strictObject({
      initialMs: z.int().positive().default(500),
      maxMs: z.int().positive().default(30_000),
    })
    .prefault({}),
});

/** Store-and-forward queue of QoS 1 routes. */
export const queueConfigSchema = z.strictObject({
  /** Directory of the queue files; defaults to `<dataDir>/connector/<robot>/queue`. */
  dir: z.string().min(1).optional(),
  /** Disk budget per route in bytes (records not yet acknowledged by the broker). */
  maxBytes: z
    .int()
    .positive()
    .default(256 * 1024 * 1024),
  /** Size at which a segment file is closed and a new one started. */
  segmentBytes: z
    .int()
    .min(4096)
    .default(16 * 1024 * 1024),
  /** `always`: fsync each append; `interval`: every `fsyncIntervalMs`; `never`: leave it to the OS. */
  fsync: z.enum(['always', 'interval', 'never']).default('interval'),
  fsyncIntervalMs: z.int().positive().default(200),
  /** Most QoS 1 messages awaiting PUBACK at once per route. */
  maxInflight: z.int().positive().max(65535).default(256),
});

/** The whole `connector.yaml`: the shared sections plus the connector's own. */
export const connectorConfigSchema = fleetConfigSchema.extend({
  /** Robot name used in MQTT topics. */
  robot: routeNameSchema,
  /**
   * ROS 2 transport of `fleetloop connector`: `dds` (Cyclone DDS, talks to ROS 2 nodes) or
   * `inprocess` (only components inside the same process, for tests and simulations).
   */
  transport: z.enum(['dds', 'inprocess']).default('dds'),
  /** Directories of the robot's own `.msg` files (`<dir>/<pkg>/msg/<Type>.msg`) for JSON and types. */
  msgDirs: z.array(z.string().min(1)).default([]),
  broker: brokerConfigSchema.prefault({}),
  queue: queueConfigSchema.prefault({}),
  /** Operations endpoint (`/healthz`, `/readyz`, `/metrics`); port 0 picks a free one. */
  ops: z
    .strictObject({
      enabled: z.boolean().default(true),
      host: z.string().min(1).default('127.0.0.1'),
      port: z.int().min(0).max(65535).default(9464),
    })
    .prefault({}),
  routes: z.array(routeConfigSchema).default([]).superRefine(uniqueNames),
  reverse: z.array(reverseRouteConfigSchema).default([]).superRefine(uniqueNames),
});

/** Route names label metrics and name queue directories, so each must be unique. */
function uniqueNames(routes: readonly { readonly name: string }[], context: z.RefinementCtx): void {
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    if (seen.has(route.name)) {
      context.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `a route name not used before (route "${route.name}" appears twice)`,
      });
    }
    seen.add(route.name);
  });
}

/** The validated connector configuration. */
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
/** The connector configuration as written (defaults may be omitted). */
export type ConnectorConfigInput = z.input<typeof connectorConfigSchema>;
export type RouteConfig = z.output<typeof routeConfigSchema>;
export type ReverseRouteConfig = z.output<typeof reverseRouteConfigSchema>;
export type BrokerConfig = z.output<typeof brokerConfigSchema>;
export type QueueConfig = z.output<typeof queueConfigSchema>;
/** A glob string or `{ regex }`. */
export type TopicPattern = z.output<typeof patternSchema>;

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
