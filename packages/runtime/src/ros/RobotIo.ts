import {
  MessageDefinitionRegistry,
  QOS_DEFAULT,
  resolveTopicName,
  type QosProfile,
  type RosReader,
  type RosTransport,
  type RosWriter,
} from '@fleetloop/ros';
import type { CommandMessage } from '../action/ActionMapper.js';
import type { CommandPublisher } from '../loop/ControlLoop.js';
import type { RuntimeClock } from '../clock/RuntimeClock.js';
import type { LatestMessages } from '../observation/LatestMessages.js';
import { encodeTwist, TWIST_TYPE } from './encodeTwist.js';

/** Reader QoS for observation topics: best effort matches reliable and best-effort writers alike. */
export const OBSERVATION_QOS: QosProfile = Object.freeze({
  reliability: 'best_effort',
  durability: 'volatile',
  history: Object.freeze({ kind: 'keep_last', depth: 1 }),
});

/** Options for {@link RobotIo}. */
export interface RobotIoOptions {
  readonly transport: RosTransport;
  /** Robot namespace, e.g. `/robot_1`; topics of the contract are relative to it. */
  readonly namespace: string;
  readonly latest: LatestMessages;
  readonly clock: RuntimeClock;
  /** Message definitions; the ROS 2 common interfaces by default. */
  readonly definitions?: MessageDefinitionRegistry;
  /** QoS per relative topic name for readers that need more than {@link OBSERVATION_QOS} (e.g. a latched goal). */
  readonly readerQos?: Readonly<Record<string, QosProfile>>;
  /** Called with a message that could not be decoded; the previous message of that topic stays. */
  readonly onDecodeError?: (error: unknown, topic: string) => void;
}

/**
 * The runtime's side of the robot's ROS graph: subscribes to the topics the observation reads and
 * keeps their newest decoded message, and encodes and writes command messages. Topic names are
 * relative to the robot namespace.
 */
export class RobotIo implements CommandPublisher {
  readonly definitions: MessageDefinitionRegistry;
  readonly #options: RobotIoOptions;
  readonly #readers = new Map<string, { type: string; reader: RosReader }>();
  readonly #writers = new Map<string, RosWriter>();

  constructor(options: RobotIoOptions) {
    this.#options = options;
    this.definitions = options.definitions ?? new MessageDefinitionRegistry();
  }

  /** The absolute ROS name of a topic relative to the robot namespace. */
  resolve(topic: string): string {
    return resolveTopicName(this.#options.namespace, topic);
  }

  /**
   * Subscribes to `topic` (relative) with `type`, once; later calls with the same topic and type do
   * nothing. A different type for a subscribed topic replaces the reader.
   */
  subscribe(topic: string, type: string): void {
    const existing = this.#readers.get(topic);
    if (existing?.type === type) return;
    if (existing !== undefined) void existing.reader.close();
    const codec = this.definitions.codec(type);
    const { transport, latest, clock } = this.#options;
    const name = this.resolve(topic);
    const reader = transport.createReader(
      name,
      type,
      this.#options.readerQos?.[topic] ?? OBSERVATION_QOS,
      (sample) => {
        let message: unknown;
        try {
          message = codec.decode(sample.data, name);
        } catch (error) {
          this.#options.onDecodeError?.(error, name);
          return;
        }
        latest.update(topic, message, clock.now());
      },
    );
    this.#readers.set(topic, { type, reader });
  }

  publish(messages: readonly CommandMessage[]): void {
    for (const { topic, type, message } of messages) this.write(topic, type, message);
  }

  /** Encodes and writes one message on `topic` (relative), creating its writer on first use. */
  write(topic: string, type: string, message: unknown, qos: QosProfile = QOS_DEFAULT): void {
    const key = `${topic}\u0000${type}`;
    let writer = this.#writers.get(key);
    if (writer === undefined) {
      writer = this.#options.transport.createWriter(this.resolve(topic), type, qos);
      this.#writers.set(key, writer);
    }
    writer.write(
      type === TWIST_TYPE ? encodeTwist(message as object) : this.definitions.codec(type).encode(message),
    );
  }

  /** Topics the robot's graph currently shows under the namespace: relative name → type. */
  robotTopics(): Map<string, string> {
    const ns = this.#options.namespace;
    const prefix = ns.endsWith('/') ? ns : `${ns}/`;
    const topics = new Map<string, string>();
    for (const info of this.#options.transport.topics()) {
      if (info.writers.length === 0) continue;
      const relative = relativeTo(info.name, prefix);
      if (relative !== undefined) topics.set(relative, info.type);
    }
    return topics;
  }

  async close(): Promise<void> {
    const closing = [...this.#readers.values()].map(({ reader }) => reader.close());
    closing.push(...[...this.#writers.values()].map((writer) => writer.close()));
    this.#readers.clear();
    this.#writers.clear();
    await Promise.all(closing);
  }
}

function relativeTo(name: string, prefix: string): string | undefined {
  return name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
}
