/**
 * The raw-bytes ROS 2 transport every robot-side component talks through. Two implementations
 * honour it: the Cyclone DDS transport (native addon, interoperates with ROS 2 nodes on
 * rmw_cyclonedds) and the in-process transport (unit tests, machines without Cyclone). One
 * contract suite runs against both.
 *
 * Names here are ROS names (`/robot_3/scan`) and ROS type names (`sensor_msgs/msg/LaserScan`);
 * the DDS transport maps them to `rt/robot_3/scan` and `sensor_msgs::msg::dds_::LaserScan_`.
 * Payloads are complete CDR buffers including the 4-byte encapsulation header.
 */

/** Whether samples may be lost (best effort) or are retransmitted (reliable). */
export type Reliability = 'reliable' | 'best_effort';
/** Whether late-joining readers get the last samples a writer kept (transient local). */
export type Durability = 'volatile' | 'transient_local';
/** How many samples are kept per instance. */
export type History = { readonly kind: 'keep_last'; readonly depth: number } | { readonly kind: 'keep_all' };

/** DDS QoS of a reader or writer, as ROS 2 exposes it. */
export interface QosProfile {
  readonly reliability: Reliability;
  readonly durability: Durability;
  readonly history: History;
  /** Expected maximum period between samples; omitted = infinite. */
  readonly deadlineMs?: number;
  /** Age after which an undelivered sample is dropped; omitted = infinite. */
  readonly lifespanMs?: number;
  /** Liveliness lease; omitted = infinite (automatic liveliness). */
  readonly livelinessLeaseMs?: number;
}

/** One received message. */
export interface RosSample {
  /** ROS topic name, e.g. `/robot_3/scan`. */
  readonly topic: string;
  /** ROS type name, e.g. `sensor_msgs/msg/LaserScan`. */
  readonly type: string;
  /** CDR bytes including the encapsulation header. */
  readonly data: Uint8Array;
  /** Source timestamp set by the writer, nanoseconds since the Unix epoch. */
  readonly sourceTimestampNs: bigint;
  /** GUID of the writer that published it, 32 lower-case hex digits. */
  readonly publisherGuid: string;
}

/** A writer on one topic. */
export interface RosWriter {
  readonly topic: string;
  readonly type: string;
  /** Publishes one CDR buffer; the source timestamp defaults to now. */
  write(data: Uint8Array, sourceTimestampNs?: bigint): void;
  /** Number of readers currently matched. */
  matchedReaders(): number;
  close(): Promise<void>;
}

/** A reader on one topic; samples go to the listener given at creation. */
export interface RosReader {
  readonly topic: string;
  readonly type: string;
  /** Number of writers currently matched. */
  matchedWriters(): number;
  close(): Promise<void>;
}

/** Options of `RosTransport.createReader`. */
export interface ReaderOptions {
  /**
   * Lend `sample.data` for the duration of the listener call only, as a C reader does with
   * `dds_take` loans and `dds_return_loan` (default false: the listener owns the bytes). A loaning
   * reader returns large samples to DDS as soon as the call ends instead of when the garbage
   * collector finds them, which keeps megabyte-sized streams (images, point clouds) from running
   * V8's full collector every few dozen samples. After the call the bytes may read as empty
   * (length 0, never freed memory): copy what you keep (`data.slice()`), including anything given
   * to asynchronous I/O such as a socket or file write. The in-process transport keeps the bytes
   * valid either way.
   */
  readonly loan?: boolean;
}

/** Called with each received sample, in arrival order per writer. */
export type SampleListener = (sample: RosSample) => void;

/** A reader or writer seen on the network. */
export interface EndpointInfo {
  readonly guid: string;
  readonly kind: 'reader' | 'writer';
  readonly topic: string;
  readonly type: string;
  readonly qos: QosProfile;
}

/** Change in the set of endpoints on the network. */
export type DiscoveryEvent =
  | { readonly kind: 'endpoint-added'; readonly endpoint: EndpointInfo }
  | { readonly kind: 'endpoint-removed'; readonly endpoint: EndpointInfo };

/** A topic with every endpoint currently seen on it. */
export interface TopicInfo {
  readonly name: string;
  readonly type: string;
  readonly writers: readonly EndpointInfo[];
  readonly readers: readonly EndpointInfo[];
}

/** The transport itself: one participant on one ROS domain. */
export interface RosTransport {
  /** Which implementation this is. */
  readonly kind: 'dds' | 'inprocess';
  createWriter(topic: string, type: string, qos: QosProfile): RosWriter;
  createReader(
    topic: string,
    type: string,
    qos: QosProfile,
    listener: SampleListener,
    options?: ReaderOptions,
  ): RosReader;
  /** Topics currently seen on the network (from this and every other participant). */
  topics(): TopicInfo[];
  /**
   * Follows endpoints as they appear and disappear. The listener first receives an
   * `endpoint-added` event for every endpoint already known. Returns an unsubscribe function.
   */
  watchDiscovery(listener: (event: DiscoveryEvent) => void): () => void;
  close(): Promise<void>;
}
