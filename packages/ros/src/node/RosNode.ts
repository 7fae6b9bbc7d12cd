import { EventEmitter } from 'node:events';
import type { Logger } from '@fleetloop/core';
import type { MessageOf } from '../msg/commonTypes.js';
import type { MessageCodec } from '../msg/MessageCodec.js';
import { MessageDefinitionRegistry } from '../msg/MessageDefinitionRegistry.js';
import { RosDecodeError } from '../msg/RosDecodeError.js';
import { RosError } from '../msg/RosError.js';
import { normalizeTypeName, resolveTopicName, validateNamespace } from '../msg/rosNames.js';
import { QOS_DEFAULT } from '../qos/profiles.js';
import type { QosProfile, RosSample, RosTransport } from '../transport/RosTransport.js';
import { RosPublisher } from './RosPublisher.js';
import { RosSubscription } from './RosSubscription.js';

/** Options of {@link RosNode}. */
export interface RosNodeOptions {
  /** Node name: letters, digits and `_`, not starting with a digit. Used for `~` topics. */
  readonly name: string;
  /** Namespace relative topic names are resolved in, e.g. `/robot_3`. Default `/`. */
  readonly namespace?: string;
  readonly transport: RosTransport;
  /** Where definitions come from. Default: a registry with the ROS 2 Jazzy common interfaces. */
  readonly registry?: MessageDefinitionRegistry;
  /** Receives decode and unknown-type reports nobody listens for. Default: none (they are thrown). */
  readonly logger?: Logger;
}

/** Events of {@link RosNode}. */
export interface RosNodeEvents {
  /** A sample could not be decoded; the subscription goes on with the next one. */
  'decode-error': [error: RosDecodeError, subscription: RosSubscription];
  /** A subscription's type has no definition; its samples are dropped until one is added. */
  'unknown-type': [error: RosError, subscription: RosSubscription];
}

/** Callback of a subscription: the decoded message and the raw sample it came from. */
export type MessageCallback<T> = (message: T, sample: RosSample) => void;

const NODE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A typed layer over any {@link RosTransport}: resolves topic names in the node's namespace,
 * encodes and decodes with the registry's codecs, and turns bad payloads into `decode-error`
 * events instead of exceptions, so one malformed message never stops a subscription.
 *
 * @example
 * const node = new RosNode({ name: 'bridge', namespace: '/robot_3', transport });
 * node.on('decode-error', (error) => log.warn({ topic: error.topic, offset: error.offset }, error.message));
 * node.createSubscription('scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA, (scan) => use(scan.ranges));
 * const cmd = node.createPublisher('cmd_vel', 'geometry_msgs/msg/Twist');
 * cmd.publish(makeTwist({ linear: { x: 0.2 } }));
 */
export class RosNode extends EventEmitter<RosNodeEvents> {
  readonly name: string;
  readonly namespace: string;
  readonly registry: MessageDefinitionRegistry;
  readonly #transport: RosTransport;
  readonly #logger: Logger | undefined;
  readonly #endpoints = new Set<{ close(): Promise<void> }>();
  #closed = false;

  constructor(options: RosNodeOptions) {
    super();
    if (!NODE_NAME.test(options.name)) {
      throw new RosError(
        'ROS_INVALID_NAME',
        `Invalid ROS node name ${JSON.stringify(options.name)}: use letters, digits and "_", not starting with a digit.`,
      );
    }
    const namespace = options.namespace ?? '/';
    validateNamespace(namespace);
    this.name = options.name;
    this.namespace = namespace;
    this.registry = options.registry ?? new MessageDefinitionRegistry();
    this.#transport = options.transport;
    this.#logger = options.logger;
  }

  /** The fully-qualified name of `topic` in this node's namespace. */
  resolve(topic: string): string {
    return resolveTopicName(this.namespace, topic, this.name);
  }

  /**
   * Creates a publisher. Throws `ROS_UNKNOWN_TYPE` when the registry has no definition for
   * `type`: a publisher cannot encode without one.
   */
  createPublisher<Name extends string, T = MessageOf<Name>>(
    topic: string,
    type: Name,
    qos: QosProfile = QOS_DEFAULT,
  ): RosPublisher<T> {
    this.#assertOpen();
    const rosType = normalizeTypeName(type);
    const codec = this.registry.codec<T>(rosType);
    const publisher = new RosPublisher<T>(
      this.#transport.createWriter(this.resolve(topic), rosType, qos),
      codec,
    );
    this.#endpoints.add(publisher);
    return publisher;
  }

  /**
   * Creates a subscription. A payload that does not decode is reported as a `decode-error`
   * event and skipped; an unknown type is reported once as `unknown-type` (at creation), its
   * samples are counted as undecodable, and decoding starts once the registry learns the type.
   */
  createSubscription<Name extends string, T = MessageOf<Name>>(
    topic: string,
    type: Name,
    qos: QosProfile,
    callback: MessageCallback<T>,
  ): RosSubscription {
    this.#assertOpen();
    const rosType = normalizeTypeName(type);
    const counts = { received: 0, undecodable: 0 };
    let codec: MessageCodec<T> | undefined;
    let reportedUnknown = false;
    const lookUp = (): MessageCodec<T> | undefined => {
      try {
        return this.registry.codec<T>(rosType);
      } catch (error) {
        if (!(error instanceof RosError && error.code === 'ROS_UNKNOWN_TYPE')) {
          throw error;
        }
        if (!reportedUnknown) {
          reportedUnknown = true;
          this.#report('unknown-type', error, subscription);
        }
        return undefined;
      }
    };
    // Unknown at creation with nobody to tell: fail now, before a reader exists, like a publisher.
    let unknownAtStart: RosError | undefined;
    try {
      codec = this.registry.codec<T>(rosType);
    } catch (error) {
      if (
        !(error instanceof RosError && error.code === 'ROS_UNKNOWN_TYPE') ||
        !this.#canReport('unknown-type')
      ) {
        throw error;
      }
      unknownAtStart = error;
    }
    const onSample = (sample: RosSample): void => {
      counts.received += 1;
      codec ??= lookUp();
      if (codec === undefined) {
        counts.undecodable += 1;
        return;
      }
      let message: T;
      try {
        message = codec.decode(sample.data, sample.topic);
      } catch (error) {
        counts.undecodable += 1;
        if (!(error instanceof RosDecodeError)) {
          throw error;
        }
        this.#report('decode-error', error, subscription);
        return;
      }
      callback(message, sample);
    };
    const reader = this.#transport.createReader(this.resolve(topic), rosType, qos, onSample);
    const subscription = new RosSubscription(reader, counts);
    this.#endpoints.add(subscription);
    if (unknownAtStart !== undefined) {
      reportedUnknown = true;
      this.#report('unknown-type', unknownAtStart, subscription);
    }
    return subscription;
  }

  /** Closes every publisher and subscription this node created. The transport stays open. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#endpoints].map((endpoint) => endpoint.close()));
    this.#endpoints.clear();
  }

  #report(event: keyof RosNodeEvents, error: RosError, subscription: RosSubscription): void {
    if (this.listenerCount(event) > 0) {
      if (event === 'decode-error' && error instanceof RosDecodeError) {
        this.emit('decode-error', error, subscription);
      } else {
        this.emit('unknown-type', error, subscription);
      }
    } else if (this.#logger !== undefined) {
      this.#logger.warn({ err: error, topic: subscription.topic, type: subscription.type }, error.message);
    } else {
      // Nobody listens and nothing logs: throwing hands it to the transport's listener-error path.
      throw error;
    }
  }

  #canReport(event: keyof RosNodeEvents): boolean {
    return this.listenerCount(event) > 0 || this.#logger !== undefined;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new RosError('ROS_CLOSED', `ROS node ${this.name} is closed; create a new node.`);
    }
  }
}
