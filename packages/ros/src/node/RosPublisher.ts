import type { MessageCodec } from '../msg/MessageCodec.js';
import type { RosWriter } from '../transport/RosTransport.js';

/** A typed publisher: encodes messages with the type's codec and writes them to the transport. */
export class RosPublisher<T> {
  readonly #writer: RosWriter;
  readonly #codec: MessageCodec<T>;

  /** Use {@link RosNode.createPublisher}. */
  constructor(writer: RosWriter, codec: MessageCodec<T>) {
    this.#writer = writer;
    this.#codec = codec;
  }

  /** Fully-resolved ROS topic name. */
  get topic(): string {
    return this.#writer.topic;
  }

  /** ROS type name, `pkg/msg/Type`. */
  get type(): string {
    return this.#writer.type;
  }

  /** Encodes and publishes one message; the source timestamp defaults to now. */
  publish(message: T, sourceTimestampNs?: bigint): void {
    this.#writer.write(this.#codec.encode(message), sourceTimestampNs);
  }

  /** Publishes an already-encoded CDR buffer (e.g. bridged from MQTT) unchanged. */
  publishRaw(data: Uint8Array, sourceTimestampNs?: bigint): void {
    this.#writer.write(data, sourceTimestampNs);
  }

  /** Number of subscriptions currently matched. */
  matchedSubscriptions(): number {
    return this.#writer.matchedReaders();
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
