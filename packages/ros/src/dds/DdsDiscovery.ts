import type { DiscoveryEvent, EndpointInfo, TopicInfo } from '../transport/RosTransport.js';
import { fromNativeQos } from './ddsQos.js';
import type { DdsNative, NativeEndpointEvent, NativeHandle } from './native.js';
import { ddsTopicToRos, ddsTypeToRos } from '../msg/rosNames.js';

/**
 * The ROS endpoints (DDS topics under `rt/`) a participant sees, kept current from Cyclone's
 * DCPSPublication and DCPSSubscription builtin topics.
 */
export class DdsDiscovery {
  readonly #native: DdsNative;
  readonly #handle: NativeHandle<'discovery'>;
  readonly #endpoints = new Map<string, EndpointInfo>();
  readonly #listeners = new Set<(event: DiscoveryEvent) => void>();
  #closed = false;

  constructor(native: DdsNative, participant: number) {
    this.#native = native;
    this.#handle = native.createDiscovery(participant, (events) => this.#apply(events));
  }

  /** Every ROS topic with an endpoint now, sorted by name. */
  topics(): TopicInfo[] {
    this.#refresh();
    const byName = new Map<
      string,
      { name: string; type: string; writers: EndpointInfo[]; readers: EndpointInfo[] }
    >();
    for (const ep of this.#endpoints.values()) {
      let t = byName.get(ep.topic);
      if (t === undefined) {
        t = { name: ep.topic, type: ep.type, writers: [], readers: [] };
        byName.set(ep.topic, t);
      }
      (ep.kind === 'writer' ? t.writers : t.readers).push(ep);
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Replays the known endpoints as `endpoint-added`, then follows changes; returns unsubscribe. */
  watch(listener: (event: DiscoveryEvent) => void): () => void {
    this.#refresh();
    this.#listeners.add(listener);
    for (const endpoint of this.#endpoints.values()) listener({ kind: 'endpoint-added', endpoint });
    return () => {
      this.#listeners.delete(listener);
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#native.closeDiscovery(this.#handle);
  }

  #refresh(): void {
    if (!this.#closed) this.#apply(this.#native.drainDiscovery(this.#handle));
  }

  #apply(events: readonly NativeEndpointEvent[]): void {
    for (const ev of events) {
      const known = this.#endpoints.get(ev.guid);
      if (!ev.alive) {
        if (known === undefined) continue;
        this.#endpoints.delete(ev.guid);
        this.#emit({ kind: 'endpoint-removed', endpoint: known });
        continue;
      }
      if (known !== undefined || ev.topic === undefined || ev.type === undefined || ev.qos === undefined)
        continue;
      const topic = ddsTopicToRos(ev.topic);
      if (topic === undefined) continue;
      const endpoint: EndpointInfo = {
        guid: ev.guid,
        kind: ev.kind,
        topic,
        // types outside the ROS convention keep their DDS name
        type: ddsTypeToRos(ev.type) ?? ev.type,
        qos: fromNativeQos(ev.qos),
      };
      this.#endpoints.set(ev.guid, endpoint);
      this.#emit({ kind: 'endpoint-added', endpoint });
    }
  }

  #emit(event: DiscoveryEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // surfaces as an uncaught exception without stopping the other listeners (see DdsReader)
        process.nextTick(() => {
          throw error;
        });
      }
    }
  }
}
