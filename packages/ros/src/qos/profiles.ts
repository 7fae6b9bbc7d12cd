import type { QosProfile } from '../transport/RosTransport.js';

/** `rmw_qos_profile_default`: reliable, volatile, keep_last 10. */
export const QOS_DEFAULT: QosProfile = Object.freeze({
  reliability: 'reliable',
  durability: 'volatile',
  history: Object.freeze({ kind: 'keep_last', depth: 10 }),
});

/** `rmw_qos_profile_sensor_data`: best effort, volatile, keep_last 5 — scans, images, IMU. */
export const QOS_SENSOR_DATA: QosProfile = Object.freeze({
  reliability: 'best_effort',
  durability: 'volatile',
  history: Object.freeze({ kind: 'keep_last', depth: 5 }),
});

/** `rmw_qos_profile_services_default`: reliable, volatile, keep_last 10. */
export const QOS_SERVICES_DEFAULT: QosProfile = Object.freeze({
  reliability: 'reliable',
  durability: 'volatile',
  history: Object.freeze({ kind: 'keep_last', depth: 10 }),
});

/**
 * `rmw_qos_profile_system_default` as rmw_cyclonedds resolves it: Cyclone's own defaults,
 * reliable, volatile, keep_last 1.
 */
export const QOS_SYSTEM_DEFAULT: QosProfile = Object.freeze({
  reliability: 'reliable',
  durability: 'volatile',
  history: Object.freeze({ kind: 'keep_last', depth: 1 }),
});

/** `rmw_qos_profile_parameters`: reliable, volatile, keep_last 1000. */
export const QOS_PARAMETERS: QosProfile = Object.freeze({
  reliability: 'reliable',
  durability: 'volatile',
  history: Object.freeze({ kind: 'keep_last', depth: 1000 }),
});

/** `rmw_qos_profile_parameter_events`: reliable, volatile, keep_last 1000. */
export const QOS_PARAMETER_EVENTS: QosProfile = QOS_PARAMETERS;

/**
 * Latched topics (`/tf_static`, `/robot_description`, retained definitions): reliable,
 * transient local, keep_last 1 — late joiners get the last sample.
 */
export const QOS_LATCHED: QosProfile = Object.freeze({
  reliability: 'reliable',
  durability: 'transient_local',
  history: Object.freeze({ kind: 'keep_last', depth: 1 }),
});

/** The named profiles {@link qosFromConfig} accepts. */
export const QOS_PROFILES = Object.freeze({
  default: QOS_DEFAULT,
  sensor_data: QOS_SENSOR_DATA,
  services_default: QOS_SERVICES_DEFAULT,
  system_default: QOS_SYSTEM_DEFAULT,
  parameters: QOS_PARAMETERS,
  parameter_events: QOS_PARAMETER_EVENTS,
  latched: QOS_LATCHED,
});

/** Name of a built-in QoS profile. */
export type QosProfileName = keyof typeof QOS_PROFILES;
