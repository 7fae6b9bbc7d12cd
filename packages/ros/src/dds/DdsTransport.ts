import type {
  DiscoveryEvent,
  ReaderOptions,
  RosReader,
  RosTransport,
  RosWriter,
  SampleListener,
  TopicInfo,
} from '../transport/RosTransport.js';
import { cycloneConfigString, rosNetworkFromEnv, type DiscoveryRange } from './cycloneConfig.js';
import { ddsCallError } from './ddsCallError.js';
import { DdsDiscovery } from './DdsDiscovery.js';
import { DdsError } from './DdsError.js';
import { toNativeQos, type DdsQosProfile } from './ddsQos.js';
import { DdsReader } from './DdsReader.js';
import { DdsWriter } from './DdsWriter.js';
import { loadDdsNative, type DdsNative, type NativeHandle } from './native.js';
import { rosTopicToDds, rosTypeToDds } from '../msg/rosNames.js';

/** Options of {@link DdsTransport}; each defaults to the ROS 2 environment variable. */
export interface DdsTransportOptions {
  /** DDS domain (default ROS_DOMAIN_ID, else 0). */
  readonly domainId?: number;
  /** Discovery reach (default ROS_AUTOMATIC_DISCOVERY_RANGE, or `localhost` if ROS_LOCALHOST_ONLY=1). */
  readonly discoveryRange?: DiscoveryRange;
  /** Unicast discovery peers (default ROS_STATIC_PEERS). */
  readonly staticPeers?: readonly string[];
  /** Cyclone configuration applied after the generated one (default CYCLONEDDS_URI). */
  readonly cycloneUri?: string;
  /** Where the defaults come from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Cyclone domains this process created, shared by every transport on the same domain id. */
const domains = new Map<number, { handle: number; config: string; users: number }>();

function acquireDomain(native: DdsNative, domainId: number, config: string): void {
  const known = domains.get(domainId);
  if (known !== undefined) {
    if (known.config !== config) {
      throw new DdsError(
        'DDS_CONFIG_CONFLICT',
        `DDS domain ${domainId} is already open in this process with another Cyclone configuration ` +
          `(${known.config}); open every transport on this domain with the same settings`,
      );
    }
    known.users++;
    return;
  }
  let handle: number;
  try {
    handle = native.createDomain(domainId, config);
  } catch (cause) {
    throw ddsCallError(cause, `creating DDS domain ${domainId} with configuration ${config}`);
  }
  domains.set(domainId, { handle, config, users: 1 });
}

function releaseDomain(native: DdsNative, domainId: number): void {
  const known = domains.get(domainId);
  if (known === undefined || --known.users > 0) return;
  domains.delete(domainId);
  // handle 0: the domain existed before this module created it, so it is not ours to delete
  if (known.handle > 0) native.deleteEntity(known.handle);
}

/**
 * The ROS 2 transport over Cyclone DDS (libddsc through the `fleetloop_dds` addon): one DDS
 * participant, topics named and typed as rmw_cyclonedds names them, raw CDR payloads, so it talks
 * to ROS 2 nodes on rmw_cyclonedds and to any DDS application using the ROS 2 type names.
 *
 * @example
 * ```ts
 * const ros = new DdsTransport({ domainId: 7, discoveryRange: 'localhost' });
 * const reader = ros.createReader('/chatter', 'std_msgs/msg/String', qos, (s) => console.log(s.data));
 * ```
 */
export class DdsTransport implements RosTransport {
  readonly kind = 'dds' as const;
  /** The DDS domain this transport's participant is on. */
  readonly domainId: number;
  /** The configuration string given to Cyclone (generated XML, then the user's CYCLONEDDS_URI). */
  readonly cycloneConfig: string;
  readonly #native: DdsNative;
  readonly #participant: number;
  readonly #topics = new Map<string, { handle: NativeHandle<'topic'>; type: string }>();
  readonly #writers = new Set<DdsWriter>();
  readonly #readers = new Set<DdsReader>();
  readonly #discovery: DdsDiscovery;
  #closed = false;

  constructor(options: DdsTransportOptions = {}) {
    const fromEnv = rosNetworkFromEnv(options.env ?? process.env);
    this.domainId = options.domainId ?? fromEnv.domainId;
    this.cycloneConfig = cycloneConfigString({
      discoveryRange: options.discoveryRange ?? fromEnv.discoveryRange,
      staticPeers: options.staticPeers ?? fromEnv.staticPeers,
      userUri: options.cycloneUri ?? fromEnv.userUri,
    });
    this.#native = loadDdsNative();
    acquireDomain(this.#native, this.domainId, this.cycloneConfig);
    try {
      this.#participant = this.#native.createParticipant(this.domainId);
      this.#discovery = new DdsDiscovery(this.#native, this.#participant);
    } catch (cause) {
      releaseDomain(this.#native, this.domainId);
      throw ddsCallError(cause, `joining DDS domain ${this.domainId}`);
    }
  }

  /** GUID of this transport's DDS participant (32 hex digits). */
  get participantGuid(): string {
    return this.#native.entityGuid(this.#participant);
  }

  createWriter(topic: string, type: string, qos: DdsQosProfile): RosWriter & DdsWriter {
    const topicHandle = this.#topic(topic, type);
    let handle: NativeHandle<'writer'>;
    try {
      handle = this.#native.createWriter(this.#participant, topicHandle, toNativeQos(qos));
    } catch (cause) {
      throw ddsCallError(cause, `creating a writer on ${topic} (${type})`);
    }
    const writer = new DdsWriter(this.#native, handle, topic, type, (w) => this.#writers.delete(w));
    this.#writers.add(writer);
    return writer;
  }

  createReader(
    topic: string,
    type: string,
    qos: DdsQosProfile,
    listener: SampleListener,
    options: ReaderOptions = {},
  ): RosReader & DdsReader {
    const topicHandle = this.#topic(topic, type);
    let reader: DdsReader;
    try {
      reader = new DdsReader(
        this.#native,
        this.#participant,
        topicHandle,
        toNativeQos(qos),
        topic,
        type,
        listener,
        options.loan ?? false,
        (r) => this.#readers.delete(r),
      );
    } catch (cause) {
      throw ddsCallError(cause, `creating a reader on ${topic} (${type})`);
    }
    this.#readers.add(reader);
    return reader;
  }

  topics(): TopicInfo[] {
    this.#assertOpen();
    return this.#discovery.topics();
  }

  watchDiscovery(listener: (event: DiscoveryEvent) => void): () => void {
    this.#assertOpen();
    return this.#discovery.watch(listener);
  }

  /** Deletes every reader and writer of this transport, then the participant. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const reader of [...this.#readers]) reader.closeNow();
    for (const writer of [...this.#writers]) writer.closeNow();
    this.#discovery.close();
    this.#native.deleteEntity(this.#participant);
    this.#topics.clear();
    releaseDomain(this.#native, this.domainId);
    return Promise.resolve();
  }

  #topic(topic: string, type: string): NativeHandle<'topic'> {
    this.#assertOpen();
    const ddsTopic = rosTopicToDds(topic);
    const ddsType = rosTypeToDds(type);
    const known = this.#topics.get(ddsTopic);
    if (known !== undefined) {
      if (known.type !== ddsType) {
        throw new DdsError(
          'DDS_TOPIC_TYPE_CONFLICT',
          `topic ${topic} is already used with type ${known.type} in this transport; it cannot also carry ${type}`,
        );
      }
      return known.handle;
    }
    let handle: NativeHandle<'topic'>;
    try {
      handle = this.#native.createTopic(this.#participant, ddsTopic, ddsType);
    } catch (cause) {
      throw ddsCallError(cause, `creating topic ${topic} (${type})`);
    }
    this.#topics.set(ddsTopic, { handle, type: ddsType });
    return handle;
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new DdsError('DDS_CLOSED', `the DDS transport on domain ${this.domainId} is closed`);
  }
}
