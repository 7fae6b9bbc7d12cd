import { randomBytes } from 'node:crypto';
import { validateTopicName, normalizeTypeName } from '../msg/rosNames.js';
import { RosError } from '../msg/RosError.js';
import { InProcessDomain, type DomainReader, type DomainWriter } from './InProcessTransportDomain.js';
import { DeliveryQueue } from './InProcessTransportQueue.js';
import type {
  DiscoveryEvent,
  EndpointInfo,
  QosProfile,
  ReaderOptions,
  RosReader,
  RosSample,
  RosTransport,
  RosWriter,
  SampleListener,
  TopicInfo,
} from './RosTransport.js';

/** Options of {@link InProcessTransport}. */
export interface InProcessTransportOptions {
  /** The domain shared with the other participants. Default: `InProcessDomain.shared(0)`. */
  readonly domain?: InProcessDomain;
  /** Source timestamp for writes without one, ns since the Unix epoch. Default: the wall clock. */
  readonly now?: () => bigint;
  /**
   * Receives what a sample or discovery listener throws; delivery goes on. Default: rethrown on
   * the next tick, so it surfaces as an uncaught exception instead of vanishing.
   */
  readonly onListenerError?: (error: unknown, topic: string | undefined) => void;
}

function wallClockNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

function rethrowLater(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

function checkQos(qos: QosProfile, topic: string): void {
  if (qos.history.kind === 'keep_last' && !(Number.isInteger(qos.history.depth) && qos.history.depth >= 1)) {
    throw new RosError(
      'ROS_QOS_INVALID',
      `QoS for ${topic}: keep_last depth must be an integer >= 1, got ${qos.history.depth}.`,
    );
  }
}

/**
 * A {@link RosTransport} inside one process: unit tests, simulations and machines without
 * Cyclone DDS. Participants created on the same {@link InProcessDomain} see each other's topics.
 *
 * What it honours: reliable delivery in order per writer; best-effort readers keep only the last
 * `depth` undelivered samples (a burst written in one turn loses the oldest, as a slow best-effort
 * subscriber does on a network); transient-local writers keep the last `depth` samples for late
 * joiners; readers and writers match only on equal topic, equal type and compatible QoS
 * (reliability, durability, deadline, liveliness lease — request/offer as in DDS). Delivery is
 * always asynchronous. Lifespan is not enforced.
 *
 * @example
 * const domain = new InProcessDomain();
 * const a = new InProcessTransport({ domain });
 * const b = new InProcessTransport({ domain });
 * b.createReader('/chatter', 'std_msgs/msg/String', QOS_DEFAULT, (s) => console.log(s.data));
 * a.createWriter('/chatter', 'std_msgs/msg/String', QOS_DEFAULT).write(cdrBytes);
 */
export class InProcessTransport implements RosTransport {
  readonly kind = 'inprocess' as const;
  readonly #domain: InProcessDomain;
  readonly #now: () => bigint;
  readonly #onListenerError: (error: unknown, topic: string | undefined) => void;
  readonly #guidPrefix = randomBytes(12).toString('hex');
  #nextEntity = 1;
  readonly #writers = new Set<InProcessWriter>();
  readonly #readers = new Set<InProcessReader>();
  readonly #unwatchers = new Set<() => void>();
  #closed = false;

  constructor(options: InProcessTransportOptions = {}) {
    this.#domain = options.domain ?? InProcessDomain.shared(0);
    this.#now = options.now ?? wallClockNs;
    this.#onListenerError = options.onListenerError ?? rethrowLater;
  }

  createWriter(topic: string, type: string, qos: QosProfile): RosWriter {
    const info = this.#endpoint('writer', topic, type, qos);
    const writer = new InProcessWriter(info, this.#domain, this.#now, (w) => this.#writers.delete(w));
    this.#writers.add(writer);
    return writer;
  }

  /** `options.loan` changes nothing here: samples stay valid after the listener returns. */
  createReader(
    topic: string,
    type: string,
    qos: QosProfile,
    listener: SampleListener,
    _options?: ReaderOptions,
  ): RosReader {
    const info = this.#endpoint('reader', topic, type, qos);
    const reader = new InProcessReader(info, this.#domain, listener, this.#onListenerError, (r) =>
      this.#readers.delete(r),
    );
    this.#readers.add(reader);
    return reader;
  }

  topics(): TopicInfo[] {
    this.#assertOpen();
    return this.#domain.topics();
  }

  watchDiscovery(listener: (event: DiscoveryEvent) => void): () => void {
    this.#assertOpen();
    const queue = new DeliveryQueue<DiscoveryEvent>(listener, {
      onError: (error) => this.#onListenerError(error, undefined),
    });
    const unwatch = this.#domain.watch((event) => queue.push(event));
    const stop = (): void => {
      unwatch();
      queue.close();
      this.#unwatchers.delete(stop);
    };
    this.#unwatchers.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const stop of [...this.#unwatchers]) {
      stop();
    }
    await Promise.all([...this.#writers, ...this.#readers].map((endpoint) => endpoint.close()));
  }

  #endpoint(kind: 'reader' | 'writer', topic: string, type: string, qos: QosProfile): EndpointInfo {
    this.#assertOpen();
    validateTopicName(topic);
    const rosType = normalizeTypeName(type);
    checkQos(qos, topic);
    // DDS GUID: 12-byte participant prefix + 3-byte entity key + entity kind (0x03 writer, 0x04 reader, no key).
    const entity = (this.#nextEntity++).toString(16).padStart(6, '0') + (kind === 'writer' ? '03' : '04');
    return { guid: this.#guidPrefix + entity, kind, topic, type: rosType, qos };
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new RosError('ROS_CLOSED', 'This in-process transport is closed; create a new one.');
    }
  }
}

class InProcessWriter implements RosWriter, DomainWriter {
  readonly info: EndpointInfo;
  readonly history: RosSample[] = [];
  readonly matched = new Set<DomainReader>();
  readonly #domain: InProcessDomain;
  readonly #now: () => bigint;
  readonly #keep: number;
  readonly #onClose: (writer: InProcessWriter) => void;
  #closed = false;

  constructor(
    info: EndpointInfo,
    domain: InProcessDomain,
    now: () => bigint,
    onClose: (w: InProcessWriter) => void,
  ) {
    this.info = info;
    this.#domain = domain;
    this.#now = now;
    this.#onClose = onClose;
    const { durability, history } = info.qos;
    this.#keep =
      durability !== 'transient_local'
        ? 0
        : history.kind === 'keep_last'
          ? history.depth
          : Number.POSITIVE_INFINITY;
    domain.addWriter(this);
  }

  get topic(): string {
    return this.info.topic;
  }

  get type(): string {
    return this.info.type;
  }

  write(data: Uint8Array, sourceTimestampNs?: bigint): void {
    if (this.#closed) {
      throw new RosError('ROS_CLOSED', `Writer on ${this.topic} is closed; create a new one to publish.`);
    }
    // Copied once so the caller may reuse its buffer; readers share the copy and must not mutate it.
    const sample: RosSample = {
      topic: this.info.topic,
      type: this.info.type,
      data: new Uint8Array(data),
      sourceTimestampNs: sourceTimestampNs ?? this.#now(),
      publisherGuid: this.info.guid,
    };
    if (this.#keep > 0) {
      this.history.push(sample);
      if (this.history.length > this.#keep) {
        this.history.shift();
      }
    }
    for (const reader of this.matched) {
      reader.enqueue(sample);
    }
  }

  matchedReaders(): number {
    return this.matched.size;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#domain.removeWriter(this);
      this.history.length = 0;
      this.#onClose(this);
    }
    return Promise.resolve();
  }
}

class InProcessReader implements RosReader, DomainReader {
  readonly info: EndpointInfo;
  readonly matched = new Set<DomainWriter>();
  readonly #domain: InProcessDomain;
  readonly #queue: DeliveryQueue<RosSample>;
  readonly #onClose: (reader: InProcessReader) => void;
  #closed = false;

  constructor(
    info: EndpointInfo,
    domain: InProcessDomain,
    listener: SampleListener,
    onListenerError: (error: unknown, topic: string | undefined) => void,
    onClose: (r: InProcessReader) => void,
  ) {
    this.info = info;
    this.#domain = domain;
    this.#onClose = onClose;
    const { reliability, history } = info.qos;
    this.#queue = new DeliveryQueue(listener, {
      ...(reliability === 'best_effort' && history.kind === 'keep_last' ? { capacity: history.depth } : {}),
      onError: (error) => onListenerError(error, info.topic),
    });
    domain.addReader(this);
  }

  get topic(): string {
    return this.info.topic;
  }

  get type(): string {
    return this.info.type;
  }

  enqueue(sample: RosSample): void {
    this.#queue.push(sample);
  }

  matchedWriters(): number {
    return this.matched.size;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#queue.close();
      this.#domain.removeReader(this);
      this.#onClose(this);
    }
    return Promise.resolve();
  }
}
