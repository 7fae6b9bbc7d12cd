import type { Logger } from '@fleetloop/core';
import { QOS_DEFAULT, type RosTransport, type RosWriter } from '@fleetloop/ros';
import type { ReverseRouteConfig } from '../config/connectorConfig.js';
import type { ConnectorMetrics, DropReason } from '../metrics/ConnectorMetrics.js';
import { TopicFilter } from '../routes/TopicFilter.js';
import { renderTopicTemplate } from '../routes/topicTemplate.js';
import type { RouteCounts } from './ForwardRoute.js';
import type { MessageCodecs } from './MessageCodecs.js';

/** Options for {@link ReverseRoute}. */
export interface ReverseRouteOptions {
  readonly config: ReverseRouteConfig;
  readonly site: string;
  readonly robot: string;
  readonly transport: RosTransport;
  readonly codecs?: MessageCodecs;
  readonly metrics: ConnectorMetrics;
  readonly logger: Logger;
}

/**
 * One MQTT → ROS 2 route for commands (goals, e-stop). The MQTT topic below the route's filter
 * names the ROS topic (`.../cmd/robot_1/estop` → `/robot_1/estop`); the `ros-type` user property
 * (or the route's only allowed type) names the type, which must be on the allow-list. JSON
 * payloads are encoded to CDR with the message definition; `encoding: cdr` payloads pass as is.
 */
export class ReverseRoute {
  readonly #options: ReverseRouteOptions;
  readonly #prefix: string;
  readonly #topics: TopicFilter;
  readonly #types: ReadonlySet<string>;
  readonly #writers = new Map<string, RosWriter>();
  /** Messages handled since start. */
  readonly counts: RouteCounts = { received: 0, delivered: 0, dropped: {} };
  /** MQTT topic filter this route subscribes to. */
  readonly subscription: string;

  constructor(options: ReverseRouteOptions) {
    this.#options = options;
    this.subscription = renderTopicTemplate(options.config.mqttTopic, {
      site: options.site,
      robot: options.robot,
      topic: '',
      type: '',
    });
    this.#prefix = this.subscription.replace(/#$/, '');
    this.#topics = new TopicFilter(options.config.topics);
    this.#types = new Set(options.config.types);
  }

  get name(): string {
    return this.#options.config.name;
  }

  /** MQTT QoS of the subscription. */
  get qos(): 0 | 1 {
    return this.#options.config.qos;
  }

  /** ROS topics this route has written to (the forward routes skip them to avoid loops). */
  get rosTopics(): ReadonlySet<string> {
    return new Set([...this.#writers.values()].map((w) => w.topic));
  }

  /** The ROS topic an MQTT topic maps to, or `undefined` when it is not under this route. */
  rosTopicOf(mqttTopic: string): string | undefined {
    if (!mqttTopic.startsWith(this.#prefix) || mqttTopic.length === this.#prefix.length) return undefined;
    return `/${mqttTopic.slice(this.#prefix.length)}`;
  }

  /** Handles one MQTT message under this route's filter. */
  handle(mqttTopic: string, payload: Buffer, userProperties: Readonly<Record<string, string>>): void {
    const topic = this.rosTopicOf(mqttTopic);
    if (topic === undefined) return;
    this.#options.metrics.received(this.name, 'mqtt-to-ros');
    this.counts.received += 1;
    const [onlyType] = this.#types;
    const type = userProperties['ros-type'] ?? (this.#types.size === 1 ? onlyType : undefined);
    if (type === undefined || !this.#types.has(type) || !this.#topics.matches(topic)) {
      this.#drop(
        'not-allowed',
        mqttTopic,
        `type ${type ?? '(none: set the ros-type user property)'} or topic ${topic} is not allowed by reverse route ${this.name}`,
      );
      return;
    }
    let data: Uint8Array;
    if ((userProperties.encoding ?? 'json') === 'cdr') {
      data = payload;
    } else {
      const codecs = this.#options.codecs;
      if (codecs === undefined || codecs.definitionText(type) === undefined) {
        this.#drop('unknown-type', mqttTopic, `no message definition for ${type}`);
        return;
      }
      try {
        data = codecs.encode(type, JSON.parse(payload.toString('utf8')));
      } catch (error) {
        this.#drop(
          'encode-failed',
          mqttTopic,
          `cannot encode the JSON payload as ${type}: ${(error as Error).message}`,
        );
        return;
      }
    }
    this.#writer(topic, type).write(data);
    this.#options.metrics.delivered(this.name, 'mqtt-to-ros');
    this.counts.delivered += 1;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#writers.values()].map((w) => w.close()));
    this.#writers.clear();
  }

  #writer(topic: string, type: string): RosWriter {
    const key = `${topic}\0${type}`;
    let writer = this.#writers.get(key);
    if (writer === undefined) {
      writer = this.#options.transport.createWriter(topic, type, {
        ...QOS_DEFAULT,
        reliability: this.#options.config.reliability,
      });
      this.#writers.set(key, writer);
    }
    return writer;
  }

  #drop(reason: DropReason, mqttTopic: string, detail: string): void {
    this.#options.metrics.dropped(this.name, reason);
    this.counts.dropped[reason] = (this.counts.dropped[reason] ?? 0) + 1;
    this.#options.logger.warn({ route: this.name, mqttTopic, reason, detail }, 'command refused');
  }
}
