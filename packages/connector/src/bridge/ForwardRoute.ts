import type { Logger } from '@fleetloop/core';
import type { RosSample } from '@fleetloop/ros';
import type { RouteConfig } from '../config/connectorConfig.js';
import type { ConnectorMetrics, DropReason } from '../metrics/ConnectorMetrics.js';
import type { BrokerSession, LinkTimers, MqttLink } from '../mqtt/MqttLink.js';
import { publishPacketBytes } from '../mqtt/packetSize.js';
import { PublishTemplate } from '../mqtt/PublishTemplate.js';
import type { QueuedMessage } from '../queue/QueuedMessage.js';
import type { StoreAndForwardQueue } from '../queue/StoreAndForwardQueue.js';
import { TopicFilter } from '../routes/TopicFilter.js';
import { renderTopicTemplate } from '../routes/topicTemplate.js';
import { messageToJson, type MessageCodecs } from './MessageCodecs.js';
import { Fifo } from './Fifo.js';
import { PayloadPool } from './PayloadPool.js';
import { RateLimiter } from './RateLimiter.js';

/** Where one ROS topic's messages go (a topic has one type). */
interface TopicTarget {
  readonly type: string;
  readonly mqttTopic: string;
  /** QoS 0 packets of the topic: the user properties `ros-type` and `encoding` encoded once. */
  readonly template: PublishTemplate;
}

/** A QoS 0 message waiting for the socket, with the packet template of its topic. */
interface BackloggedMessage extends QueuedMessage {
  readonly template: PublishTemplate;
}

/** User properties whose values change per message, in the order {@link variableValues} gives them. */
const VARIABLE_PROPERTIES = ['seq', 'stamp-ns'] as const;

/** Values of {@link VARIABLE_PROPERTIES} for one message. */
function variableValues(seq: bigint, stampNs: bigint): string[] {
  return [seq.toString(), stampNs.toString()];
}

/**
 * Whether a QoS 0 payload is encoded by its topic's {@link PublishTemplate} into the link's
 * staging buffer; larger ones (images) go through MQTT.js from a pooled copy.
 */
function encodedByTemplate(payloadBytes: number): boolean {
  return payloadBytes < PayloadPool.MIN_BYTES;
}

/** Messages a route handled since start. */
export interface RouteCounts {
  received: number;
  delivered: number;
  dropped: Partial<Record<DropReason, number>>;
}

/** Options for {@link ForwardRoute}. */
export interface ForwardRouteOptions {
  readonly config: RouteConfig;
  readonly site: string;
  readonly robot: string;
  readonly link: MqttLink;
  /** The route's store-and-forward queue; required for QoS 1 routes. */
  readonly queue?: StoreAndForwardQueue;
  readonly maxInflight: number;
  /** QoS 0 bytes held while the socket is congested; beyond it the oldest are dropped. */
  readonly maxBacklogBytes?: number;
  readonly metrics: ConnectorMetrics;
  readonly codecs?: MessageCodecs;
  readonly logger: Logger;
  readonly timers: LinkTimers;
  /** Wall clock in milliseconds (rate limits). */
  readonly nowMs: () => number;
  /** Wall clock in nanoseconds since the Unix epoch (latency). */
  readonly nowNs: () => bigint;
  /**
   * Samples come from a loaning reader: their bytes are valid only during {@link ForwardRoute.accept}.
   * The route then copies what it keeps: large QoS 0 payloads into `pool` buffers, given back
   * once the socket wrote them.
   */
  readonly loaned?: boolean;
  /** Buffers for large loaned payloads (default: a pool of this route's own). */
  readonly pool?: PayloadPool;
}

/**
 * One ROS 2 → MQTT route: filters topics and types, limits the rate per topic, encodes (CDR
 * passthrough or JSON), enforces the size limits, and publishes — directly for QoS 0 (dropped while
 * offline), through the store-and-forward queue for QoS 1 (sent in order, removed on PUBACK).
 */
export class ForwardRoute {
  readonly #options: ForwardRouteOptions;
  readonly #config: RouteConfig;
  readonly #topics: TopicFilter;
  readonly #types: TopicFilter;
  readonly #limiters = new Map<string, RateLimiter<RosSample>>();
  /** MQTT topic and QoS 0 packet template per ROS topic, made once. */
  readonly #targets = new Map<string, TopicTarget>();
  readonly #loggedDrops = new Set<string>();
  #seq: bigint;
  #session: BrokerSession | undefined;
  #inflightQos0 = 0;
  /** QoS 0 messages waiting for the socket to drain, bounded by `maxBacklogBytes`. */
  readonly #backlog = new Fifo<BackloggedMessage>();
  #backlogBytes = 0;
  readonly #maxBacklogBytes: number;
  readonly #loaned: boolean;
  readonly #pool: PayloadPool;
  #waitingForSocket = false;
  #idleWaiters: (() => void)[] = [];
  /** Messages handled since start (the Prometheus counters carry the same numbers). */
  readonly counts: RouteCounts = { received: 0, delivered: 0, dropped: {} };

  constructor(options: ForwardRouteOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#topics = new TopicFilter(options.config.topics);
    this.#types = new TopicFilter(options.config.types);
    this.#maxBacklogBytes = options.maxBacklogBytes ?? 64 * 1024 * 1024;
    this.#loaned = options.loaned ?? false;
    this.#pool = options.pool ?? new PayloadPool();
    const last = options.queue?.lastSeq();
    this.#seq = last === undefined ? 0n : last + 1n;
    this.#updateQueueGauges();
  }

  get name(): string {
    return this.#config.name;
  }

  /** Whether this route carries `topic` of `type`. */
  matches(topic: string, type: string): boolean {
    return this.#topics.matches(topic) && this.#types.matches(type);
  }

  /** Takes one ROS sample. */
  accept(sample: RosSample): void {
    this.#options.metrics.received(this.name, 'ros-to-mqtt');
    this.counts.received += 1;
    const maxRateHz = this.#config.maxRateHz;
    if (maxRateHz === undefined) {
      this.#forward(sample);
      return;
    }
    let limiter = this.#limiters.get(sample.topic);
    if (limiter === undefined) {
      limiter = new RateLimiter<RosSample>({
        maxRateHz,
        now: this.#options.nowMs,
        timers: this.#options.timers,
        emit: (s) => this.#forward(s),
        drop: (s) => this.#drop('rate-limit', s.topic),
        // a sample held for the next slot outlives the listener call
        ...(this.#loaned ? { keep: (s: RosSample) => ({ ...s, data: Buffer.from(s.data) }) } : {}),
      });
      this.#limiters.set(sample.topic, limiter);
    }
    limiter.offer(sample);
  }

  /** Called when a broker connection is up: starts sending the queue. */
  connected(session: BrokerSession): void {
    this.#session = session;
    this.#pump();
  }

  /** Called when the connection is lost: unacknowledged messages will be sent again. */
  disconnected(): void {
    this.#session = undefined;
    this.#options.queue?.rewind();
  }

  /** Resolves when nothing is queued or in flight, or after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    if (this.#idle()) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(this.#idle()), timeoutMs);
      this.#idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stops the rate-limit timers; the queue is closed by its owner. */
  close(): void {
    for (const limiter of this.#limiters.values()) limiter.close();
    this.#limiters.clear();
  }

  #forward(sample: RosSample): void {
    let payload: Uint8Array;
    if (this.#config.encoding === 'json') {
      const codecs = this.#options.codecs;
      if (codecs === undefined || codecs.definitionText(sample.type) === undefined) {
        this.#drop('unknown-type', sample.topic, `no message definition for ${sample.type}`);
        return;
      }
      try {
        payload = Buffer.from(messageToJson(codecs.decode(sample.type, sample.data)), 'utf8');
      } catch (error) {
        this.#drop('encode-failed', sample.topic, (error as Error).message);
        return;
      }
    } else {
      payload = sample.data;
    }
    if (payload.byteLength > this.#config.maxMessageBytes) {
      this.#drop(
        'too-large',
        sample.topic,
        `${payload.byteLength} bytes > routes.${this.name}.maxMessageBytes ${this.#config.maxMessageBytes}`,
      );
      return;
    }
    const target = this.#target(sample.topic, sample.type);
    const seq = this.#seq++;
    const queue = this.#options.queue;
    if (queue === undefined) {
      this.#publishQos0(sample.topic, target, seq, sample.sourceTimestampNs, payload);
      return;
    }
    const message: QueuedMessage = {
      seq,
      stampNs: sample.sourceTimestampNs,
      rosTopic: sample.topic,
      rosType: target.type,
      mqttTopic: target.mqttTopic,
      encoding: this.#config.encoding,
      retain: this.#config.retain,
      payload,
    };
    const result = queue.enqueue(message);
    if (!result.accepted) {
      this.#drop(
        result.reason,
        sample.topic,
        result.reason === 'queue-full' ? 'store-and-forward queue is full' : 'larger than the queue budget',
      );
    } else if (result.droppedOldest > 0) {
      this.#drop(
        'queue-overflow',
        sample.topic,
        'disk budget exceeded: oldest messages dropped',
        result.droppedOldest,
      );
    }
    this.#pump();
  }

  /**
   * Sends a QoS 0 message at once when the socket takes data and nothing waits before it, else
   * puts it in the backlog. Small payloads are encoded straight from the sample into the link's
   * staging buffer (see {@link MqttLink.publishQos0}); large ones are copied into a pooled buffer
   * and handed to MQTT.js, which writes them without a further copy.
   */
  #publishQos0(rosTopic: string, target: TopicTarget, seq: bigint, stampNs: bigint, lent: Uint8Array): void {
    const session = this.#session;
    const link = this.#options.link;
    if (session === undefined || !link.connected) {
      this.#drop('offline', rosTopic);
      return;
    }
    if (encodedByTemplate(lent.byteLength) && this.#backlog.size === 0 && link.writable) {
      const values = variableValues(seq, stampNs);
      const bytes = target.template.packetBytes(values, lent.byteLength);
      if (this.#tooLargeForBroker(rosTopic, bytes, session)) return;
      link.publishQos0(target.template, values, lent, bytes);
      this.#delivered(stampNs);
      this.#notifyIdle();
      return;
    }
    const message: BackloggedMessage = {
      seq,
      stampNs,
      rosTopic,
      rosType: target.type,
      mqttTopic: target.mqttTopic,
      encoding: this.#config.encoding,
      retain: this.#config.retain,
      payload: this.#loaned ? this.#pool.copy(lent) : lent,
      template: target.template,
    };
    if (this.#tooLargeForBroker(rosTopic, this.#packetBytes(message), session)) {
      this.#pool.release(message.payload);
      return;
    }
    if (this.#backlog.size > 0 || !link.writable) {
      this.#backlog.push(message);
      this.#backlogBytes += message.payload.byteLength;
      while (this.#backlogBytes > this.#maxBacklogBytes && this.#backlog.size > 1) {
        const oldest = this.#backlog.shift() as QueuedMessage;
        this.#backlogBytes -= oldest.payload.byteLength;
        this.#pool.release(oldest.payload);
        this.#drop(
          'congested',
          oldest.rosTopic,
          `more than ${this.#maxBacklogBytes} bytes wait for the socket`,
        );
      }
      this.#waitForSocket();
      return;
    }
    this.#sendQos0(message);
  }

  /** Sends the QoS 0 backlog while the socket takes data, then the QoS 1 queue. */
  #socketDrained(): void {
    this.#waitingForSocket = false;
    if (!this.#options.link.connected) {
      for (const message of this.#backlog.takeAll()) {
        this.#pool.release(message.payload);
        this.#drop('offline', message.rosTopic);
      }
      this.#backlogBytes = 0;
      this.#notifyIdle();
      return;
    }
    while (this.#backlog.size > 0 && this.#options.link.writable) {
      const message = this.#backlog.shift() as BackloggedMessage;
      this.#backlogBytes -= message.payload.byteLength;
      this.#sendQos0(message);
    }
    if (this.#backlog.size > 0) this.#waitForSocket();
    this.#pump();
  }

  #waitForSocket(): void {
    if (this.#waitingForSocket) return;
    this.#waitingForSocket = true;
    this.#options.link.whenWritable(() => this.#socketDrained());
  }

  #sendQos0(message: BackloggedMessage): void {
    const link = this.#options.link;
    if (encodedByTemplate(message.payload.byteLength)) {
      const values = variableValues(message.seq, message.stampNs);
      const bytes = message.template.packetBytes(values, message.payload.byteLength);
      if (link.publishQos0(message.template, values, message.payload, bytes))
        this.#delivered(message.stampNs);
      else this.#drop('offline', message.rosTopic);
      return;
    }
    this.#inflightQos0 += 1;
    this.#options.link.publish(
      message.mqttTopic,
      message.payload,
      this.#publishOptions(message, 0),
      (outcome) => {
        this.#inflightQos0 -= 1;
        if (outcome === undefined) {
          this.#delivered(message.stampNs);
          // Written to the socket's stream, not yet necessarily to the socket: a pooled buffer goes
          // back once it has (over WebSocket it is left to the garbage collector).
          if (this.#pool.lent(message.payload))
            this.#options.link.afterFlush(() => this.#pool.release(message.payload));
        } else {
          // not written (MQTT.js reports an error instead of writing)
          this.#pool.release(message.payload);
          this.#drop(outcome.kind === 'lost' ? 'offline' : 'rejected', message.rosTopic);
        }
        this.#notifyIdle();
      },
    );
  }

  /** Sends queued messages while the connection is up and the in-flight window has room. */
  #pump(): void {
    const queue = this.#options.queue;
    const session = this.#session;
    if (queue === undefined) return;
    if (session !== undefined && this.#options.link.connected) {
      const window = Math.min(this.#options.maxInflight, session.receiveMaximum);
      while (queue.inflight < window) {
        if (!this.#options.link.writable) {
          this.#waitForSocket();
          break;
        }
        const entry = queue.next();
        if (entry === undefined) break;
        const { index, message } = entry;
        if (this.#tooLargeForBroker(message.rosTopic, this.#packetBytes(message), session)) {
          queue.acknowledge(index);
          continue;
        }
        this.#options.link.publish(
          message.mqttTopic,
          message.payload,
          this.#publishOptions(message, 1),
          (outcome) => {
            if (outcome?.kind === 'lost') return;
            queue.acknowledge(index);
            if (outcome === undefined) this.#delivered(message.stampNs);
            else this.#drop('rejected', message.rosTopic, outcome.reason);
            this.#pump();
          },
        );
      }
    }
    this.#updateQueueGauges();
    this.#notifyIdle();
  }

  /** Size bound of the PUBLISH packet MQTT.js makes of `message` (see {@link publishPacketBytes}). */
  #packetBytes(message: QueuedMessage): number {
    return publishPacketBytes(message.mqttTopic, message.payload.byteLength, this.#userProperties(message));
  }

  /** Drops (counted, logged) a packet of `bytes` over the broker's CONNACK `maximumPacketSize`. */
  #tooLargeForBroker(rosTopic: string, bytes: number, session: BrokerSession): boolean {
    const limit = session.maximumPacketSize;
    if (limit === undefined || bytes <= limit) return false;
    this.#drop('too-large', rosTopic, `${bytes}-byte packet > broker maximumPacketSize ${limit}`);
    return true;
  }

  #target(topic: string, type: string): TopicTarget {
    const known = this.#targets.get(topic);
    if (known?.type === type) return known;
    const mqttTopic = renderTopicTemplate(this.#config.topic, {
      site: this.#options.site,
      robot: this.#options.robot,
      topic,
      type,
    });
    const target: TopicTarget = {
      type,
      mqttTopic,
      template: new PublishTemplate({
        topic: mqttTopic,
        retain: this.#config.retain,
        protocolVersion: this.#options.link.protocolVersion,
        fixedProperties: { 'ros-type': type, encoding: this.#config.encoding },
        variableKeys: VARIABLE_PROPERTIES,
      }),
    };
    this.#targets.set(topic, target);
    return target;
  }

  #publishOptions(
    message: QueuedMessage,
    qos: 0 | 1,
  ): { qos: 0 | 1; retain: boolean; userProperties: Record<string, string> } {
    return { qos, retain: message.retain, userProperties: this.#userProperties(message) };
  }

  #userProperties(message: QueuedMessage): Record<string, string> {
    return {
      'ros-type': message.rosType,
      encoding: message.encoding,
      seq: message.seq.toString(),
      'stamp-ns': message.stampNs.toString(),
    };
  }

  #delivered(stampNs: bigint): void {
    this.counts.delivered += 1;
    const latencyNs = this.#options.nowNs() - stampNs;
    this.#options.metrics.delivered(this.name, 'ros-to-mqtt', latencyNs > 0n ? Number(latencyNs) / 1e9 : 0);
  }

  #drop(reason: DropReason, topic: string, detail?: string, count = 1): void {
    this.#options.metrics.dropped(this.name, reason, count);
    this.counts.dropped[reason] = (this.counts.dropped[reason] ?? 0) + count;
    // Log the first drop per topic and reason; the counter carries the rest.
    const key = `${reason}\0${topic}`;
    if (!this.#loggedDrops.has(key)) {
      this.#loggedDrops.add(key);
      this.#options.logger.warn({ route: this.name, topic, reason, detail, count }, 'message dropped');
    }
  }

  #updateQueueGauges(): void {
    const queue = this.#options.queue;
    if (queue !== undefined)
      this.#options.metrics.queue(this.name, queue.pendingMessages, queue.pendingBytes);
  }

  #idle(): boolean {
    return (
      this.#inflightQos0 === 0 &&
      this.#backlog.size === 0 &&
      (this.#options.queue?.pendingMessages ?? 0) === 0
    );
  }

  #notifyIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#idle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
