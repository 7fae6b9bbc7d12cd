import type { RosReader } from '../transport/RosTransport.js';

/** A typed subscription; messages go to the callback given at creation. */
export class RosSubscription {
  readonly #reader: RosReader;
  readonly #counts: { received: number; undecodable: number };

  /** Use {@link RosNode.createSubscription}. */
  constructor(reader: RosReader, counts: { received: number; undecodable: number }) {
    this.#reader = reader;
    this.#counts = counts;
  }

  /** Fully-resolved ROS topic name. */
  get topic(): string {
    return this.#reader.topic;
  }

  /** ROS type name, `pkg/msg/Type`. */
  get type(): string {
    return this.#reader.type;
  }

  /** Samples received so far, decodable or not. */
  get received(): number {
    return this.#counts.received;
  }

  /** Samples that could not be decoded (bad payload or unknown type) and were not delivered. */
  get undecodable(): number {
    return this.#counts.undecodable;
  }

  /** Number of publishers currently matched. */
  matchedPublishers(): number {
    return this.#reader.matchedWriters();
  }

  close(): Promise<void> {
    return this.#reader.close();
  }
}
