import type { QosProfile } from '../transport/RosTransport.js';
import type { NativeQos } from './native.js';

/** Cyclone QoS beyond what ROS 2 profiles carry; accepted wherever a {@link QosProfile} is. */
export interface DdsQosProfile extends QosProfile {
  /** How long a reliable write may wait for slow readers before failing; default 100 ms. */
  readonly maxBlockingMs?: number;
  /** Hint for how long delivery may be delayed to batch it; default 0. */
  readonly latencyBudgetMs?: number;
  /** Transport priority (DSCP mapping where configured); default 0. */
  readonly transportPriority?: number;
  /**
   * Most samples a reader holds before they are taken (resource limits). With reliable keep-all
   * this makes a slow reader slow its writers down instead of growing without bound.
   */
  readonly maxSamples?: number;
}

const MS = 1e6;

function ns(ms: number | undefined): number {
  return ms === undefined || !Number.isFinite(ms) ? -1 : Math.round(ms * MS);
}

/** Profile → what the addon takes. */
export function toNativeQos(qos: DdsQosProfile): NativeQos {
  return {
    reliable: qos.reliability === 'reliable',
    transientLocal: qos.durability === 'transient_local',
    keepAll: qos.history.kind === 'keep_all',
    depth: qos.history.kind === 'keep_last' ? qos.history.depth : 1,
    deadlineNs: ns(qos.deadlineMs),
    lifespanNs: ns(qos.lifespanMs),
    livelinessLeaseNs: ns(qos.livelinessLeaseMs),
    maxBlockingNs: ns(qos.maxBlockingMs),
    latencyBudgetNs: ns(qos.latencyBudgetMs),
    transportPriority: qos.transportPriority ?? 0,
    maxSamples: qos.maxSamples ?? -1,
  };
}

/**
 * QoS seen in discovery → profile. History is not part of DDS discovery data, so remote endpoints
 * report Cyclone's default (keep-last 1).
 */
export function fromNativeQos(qos: NativeQos): QosProfile {
  const ms = (v: number): number | undefined => (v < 0 ? undefined : v / MS);
  const deadlineMs = ms(qos.deadlineNs);
  const lifespanMs = ms(qos.lifespanNs);
  const livelinessLeaseMs = ms(qos.livelinessLeaseNs);
  return {
    reliability: qos.reliable ? 'reliable' : 'best_effort',
    durability: qos.transientLocal ? 'transient_local' : 'volatile',
    history: qos.keepAll ? { kind: 'keep_all' } : { kind: 'keep_last', depth: qos.depth },
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    ...(lifespanMs === undefined ? {} : { lifespanMs }),
    ...(livelinessLeaseMs === undefined ? {} : { livelinessLeaseMs }),
  };
}
