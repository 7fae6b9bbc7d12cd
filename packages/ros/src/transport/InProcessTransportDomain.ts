import type { DiscoveryEvent, EndpointInfo, QosProfile, RosSample, TopicInfo } from './RosTransport.js';

/** A writer as the domain tracks it. */
export interface DomainWriter {
  readonly info: EndpointInfo;
  /** Samples kept for transient-local late joiners (oldest first). */
  readonly history: RosSample[];
  readonly matched: Set<DomainReader>;
}

/** A reader as the domain tracks it. */
export interface DomainReader {
  readonly info: EndpointInfo;
  readonly matched: Set<DomainWriter>;
  /** Hands one sample to the reader's delivery queue. */
  enqueue(sample: RosSample): void;
}

/** Follows the endpoints of a domain. */
export type DomainWatcher = (event: DiscoveryEvent) => void;

/**
 * DDS request/offer compatibility as the DDS specification defines it: the writer must offer at
 * least what the reader requests. Incompatible pairs do not match, as on a real network.
 */
function compatible(offered: QosProfile, requested: QosProfile): boolean {
  if (requested.reliability === 'reliable' && offered.reliability !== 'reliable') {
    return false;
  }
  if (requested.durability === 'transient_local' && offered.durability !== 'transient_local') {
    return false;
  }
  const requestedDeadline = requested.deadlineMs ?? Number.POSITIVE_INFINITY;
  const offeredDeadline = offered.deadlineMs ?? Number.POSITIVE_INFINITY;
  if (offeredDeadline > requestedDeadline) {
    return false;
  }
  const requestedLease = requested.livelinessLeaseMs ?? Number.POSITIVE_INFINITY;
  const offeredLease = offered.livelinessLeaseMs ?? Number.POSITIVE_INFINITY;
  return offeredLease <= requestedLease;
}

/**
 * The shared "network" of in-process transports: every {@link InProcessTransport} created with
 * the same domain sees the others' endpoints and samples, like DDS participants on one ROS domain.
 * Create one per test to keep tests apart, or use {@link InProcessDomain.shared} for a process-wide
 * domain per domain id.
 */
export class InProcessDomain {
  static readonly #shared = new Map<number, InProcessDomain>();

  /** The process-wide domain for a ROS domain id (default 0), created on first use. */
  static shared(domainId = 0): InProcessDomain {
    let domain = InProcessDomain.#shared.get(domainId);
    if (domain === undefined) {
      domain = new InProcessDomain();
      InProcessDomain.#shared.set(domainId, domain);
    }
    return domain;
  }

  readonly #writers = new Set<DomainWriter>();
  readonly #readers = new Set<DomainReader>();
  readonly #watchers = new Set<DomainWatcher>();

  /** Registers a writer, matches it with existing readers and announces it. */
  addWriter(writer: DomainWriter): void {
    this.#writers.add(writer);
    for (const reader of this.#readers) {
      this.#match(writer, reader);
    }
    this.#announce({ kind: 'endpoint-added', endpoint: writer.info });
  }

  /** Registers a reader, matches it with existing writers (replaying transient-local history). */
  addReader(reader: DomainReader): void {
    this.#readers.add(reader);
    for (const writer of this.#writers) {
      this.#match(writer, reader);
    }
    this.#announce({ kind: 'endpoint-added', endpoint: reader.info });
  }

  removeWriter(writer: DomainWriter): void {
    if (!this.#writers.delete(writer)) {
      return;
    }
    for (const reader of writer.matched) {
      reader.matched.delete(writer);
    }
    writer.matched.clear();
    this.#announce({ kind: 'endpoint-removed', endpoint: writer.info });
  }

  removeReader(reader: DomainReader): void {
    if (!this.#readers.delete(reader)) {
      return;
    }
    for (const writer of reader.matched) {
      writer.matched.delete(reader);
    }
    reader.matched.clear();
    this.#announce({ kind: 'endpoint-removed', endpoint: reader.info });
  }

  /** Adds a watcher; it is first told of every endpoint already present. */
  watch(watcher: DomainWatcher): () => void {
    for (const endpoint of this.#endpoints()) {
      watcher({ kind: 'endpoint-added', endpoint });
    }
    this.#watchers.add(watcher);
    return () => {
      this.#watchers.delete(watcher);
    };
  }

  /** Every topic with at least one endpoint. */
  topics(): TopicInfo[] {
    const byName = new Map<string, { type: string; writers: EndpointInfo[]; readers: EndpointInfo[] }>();
    for (const endpoint of this.#endpoints()) {
      let topic = byName.get(endpoint.topic);
      if (topic === undefined) {
        topic = { type: endpoint.type, writers: [], readers: [] };
        byName.set(endpoint.topic, topic);
      }
      (endpoint.kind === 'writer' ? topic.writers : topic.readers).push(endpoint);
    }
    return [...byName].map(([name, topic]) => ({ name, ...topic }));
  }

  *#endpoints(): Iterable<EndpointInfo> {
    for (const writer of this.#writers) {
      yield writer.info;
    }
    for (const reader of this.#readers) {
      yield reader.info;
    }
  }

  #match(writer: DomainWriter, reader: DomainReader): void {
    const w = writer.info;
    const r = reader.info;
    if (w.topic !== r.topic || w.type !== r.type || !compatible(w.qos, r.qos)) {
      return;
    }
    writer.matched.add(reader);
    reader.matched.add(writer);
    if (r.qos.durability === 'transient_local') {
      for (const sample of writer.history) {
        reader.enqueue(sample);
      }
    }
  }

  #announce(event: DiscoveryEvent): void {
    for (const watcher of this.#watchers) {
      watcher(event);
    }
  }
}
