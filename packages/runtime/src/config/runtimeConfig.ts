import { fleetConfigSchema } from '@fleetloop/core';
import { z } from 'zod';
import { desiredStateSchema } from '../agent/desiredState.js';

const topicName = z.string().regex(/^[A-Za-z~][A-Za-z0-9_/]*$/, 'a relative ROS 2 topic name such as "scan"');

/** The `runtime` section of `runtime.yaml`. */
export const runtimeSectionSchema = z.strictObject({
  robot: z
    .strictObject({
      /** Robot name: the MQTT topic segment and, by default, the ROS namespace `/<name>`. */
      name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" or "_"'),
      /** ROS namespace of the robot's topics; default `/<name>`. */
      namespace: z.string().optional(),
      /** Robot type; a policy for another type is refused. */
      type: z.string().min(1),
      /**
       * Every topic the robot has (relative name → ROS type). When given, a contract topic missing
       * here is refused; otherwise the topics seen on the ROS graph are checked.
       */
      topics: z.record(topicName, z.string()).optional(),
      /**
       * Topics published latched (reliable, transient local, e.g. a goal sent once per mission);
       * they are read with the same QoS so the current value arrives on subscription.
       */
      latchedTopics: z.array(topicName).default([]),
    })
    .prefault({ name: 'robot', type: 'generic' }),
  /** `dds` (Cyclone) or `inprocess` (tests). */
  transport: z.enum(['dds', 'inprocess']).default('dds'),
  policy: z
    .strictObject({
      /** ed25519 public key (PEM) packages must be signed with; unsigned packages are then refused. */
      publicKeyFile: z.string().optional(),
      executionProviders: z
        .array(z.enum(['cpu', 'cuda', 'tensorrt']))
        .min(1)
        .default(['cpu']),
      intraOpThreads: z.int().min(1).default(1),
      warmupRuns: z.int().min(0).default(3),
      /** Use plain HTTP for `oci://` sources (local test registries). */
      ociInsecure: z.boolean().default(false),
    })
    .prefault({}),
  safety: z
    .strictObject({
      maxLinearVelocity: z.number().positive().optional(),
      maxAngularVelocity: z.number().positive().optional(),
      maxLinearAcceleration: z.number().positive().optional(),
      maxAngularAcceleration: z.number().positive().optional(),
      staleAfterPeriods: z.number().positive().default(5),
      staleExemptTopics: z.array(topicName).default([]),
      minClearanceM: z.number().min(0).default(0.25),
      clearanceHalfAngleDeg: z.number().positive().max(180).default(30),
      scanTopic: topicName.default('scan'),
      estopTopic: topicName.default('estop'),
    })
    .prefault({}),
  deadline: z
    .strictObject({
      maxConsecutiveOverruns: z.int().min(1).default(5),
      recoverAfterSteps: z.int().min(1).default(20),
    })
    .prefault({}),
  swap: z
    .strictObject({
      when: z.enum(['idle', 'any']).default('idle'),
      /** `std_msgs/msg/String` topic telling whether the robot is on a mission. */
      idleTopic: topicName.default('mission_state'),
      /** Values of the idle topic that mean idle. Without a message the robot counts as idle when stopped. */
      idleValues: z.array(z.string()).default(['idle']),
      probation: z
        .strictObject({
          windowMs: z.number().positive().default(30_000),
          maxInterventions: z.int().min(0).default(100),
          maxOverruns: z.int().min(0).default(10),
          maxNonFinite: z.int().min(0).default(0),
        })
        .prefault({}),
    })
    .prefault({}),
  shadow: z.strictObject({ window: z.int().min(1).default(1000) }).prefault({}),
  desired: z
    .strictObject({
      /** YAML/JSON desired state file to watch (a ConfigMap mounted by Flux). */
      file: z.string().optional(),
      /** Follow the retained `fleetloop/v1/<site>/<robot>/desired/runtime` message (needs `mqtt.url`). */
      mqtt: z.boolean().default(true),
      /** Desired state to start from before any other source speaks. */
      initial: desiredStateSchema.optional(),
    })
    .prefault({}),
  mqtt: z
    .strictObject({
      /** Broker URL, e.g. `mqtt://127.0.0.1:1883`; without it there is no MQTT status or desired state. */
      url: z.string().optional(),
      /** 5 (MQTT v5) or 4 (3.1.1, e.g. the embedded aedes broker). */
      protocolVersion: z.union([z.literal(4), z.literal(5)]).default(5),
      statusIntervalMs: z.int().min(100).default(5000),
    })
    .prefault({}),
  ops: z
    .strictObject({
      /** Port of `/healthz`, `/readyz`, `/metrics`, `/status`; 0 picks a free one; unset = no server. */
      port: z.int().min(0).max(65535).optional(),
      host: z.string().default('127.0.0.1'),
    })
    .prefault({}),
});

/** `runtime.yaml`: the shared sections plus `runtime`. */
export const runtimeConfigSchema = fleetConfigSchema.extend({
  runtime: runtimeSectionSchema.prefault({}),
});

export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
export type RuntimeSection = z.output<typeof runtimeSectionSchema>;
