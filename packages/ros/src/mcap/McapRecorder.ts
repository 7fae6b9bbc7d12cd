import { McapWriter, type IWritable } from '@mcap/core';
import { MessageDefinitionRegistry } from '../msg/MessageDefinitionRegistry.js';
import { RosError } from '../msg/RosError.js';
import { normalizeTypeName, validateTopicName } from '../msg/rosNames.js';
import type { RosSample } from '../transport/RosTransport.js';
import { chunkCompressor, loadZstd, type McapCompression } from './chunkCompression.js';
import { McapFileWritable } from './McapFileWritable.js';

/** Options of {@link McapRecorder}. */
export interface McapRecorderOptions {
  /** Definitions for the schemas. Default: the ROS 2 Jazzy common interfaces. */
  readonly registry?: MessageDefinitionRegistry;
  /** Chunk compression. Default `lz4`. */
  readonly compression?: McapCompression;
  /** Uncompressed bytes per chunk before it is compressed and written. Default 4 MiB. */
  readonly chunkSize?: number;
  /** Log time of samples written without one, ns since the Unix epoch. Default: the wall clock. */
  readonly now?: () => bigint;
  /** `library` field of the MCAP header. */
  readonly library?: string;
}

/** Extra fields of one recorded message. */
export interface McapWriteOptions {
  /** When the message was received/recorded; default now. */
  readonly logTimeNs?: bigint;
  /** When it was published; default the log time. */
  readonly publishTimeNs?: bigint;
}

function wallClockNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
}

/**
 * Records ROS 2 messages to an MCAP file as rosbag2 does: profile `ros2`, message encoding `cdr`,
 * schema encoding `ros2msg` with the full definition text, one channel per topic created on its
 * first message, chunked and compressed, with a summary and index written by {@link close}.
 *
 * Calls may overlap (a transport listener need not await): they are applied in call order.
 *
 * @example
 * const recorder = await McapRecorder.create('episode.mcap', { compression: 'zstd' });
 * transport.createReader('/scan', 'sensor_msgs/msg/LaserScan', QOS_SENSOR_DATA, (s) => void recorder.write(s));
 * await recorder.close();
 */
export class McapRecorder {
  readonly #writer: McapWriter;
  readonly #registry: MessageDefinitionRegistry;
  readonly #now: () => bigint;
  readonly #onClose: () => Promise<void>;
  readonly #schemas = new Map<string, number>();
  readonly #channels = new Map<string, { id: number; type: string; sequence: number }>();
  #queue: Promise<void> = Promise.resolve();
  #failure: unknown;
  #closed = false;
  #messageCount = 0;

  private constructor(writer: McapWriter, options: McapRecorderOptions, onClose: () => Promise<void>) {
    this.#writer = writer;
    this.#registry = options.registry ?? new MessageDefinitionRegistry();
    this.#now = options.now ?? wallClockNs;
    this.#onClose = onClose;
  }

  /** Creates (or truncates) an MCAP file and writes its header. */
  static async create(path: string, options: McapRecorderOptions = {}): Promise<McapRecorder> {
    const file = await McapFileWritable.create(path);
    try {
      return await McapRecorder.#start(file, options, () => file.close());
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Records into any `IWritable` (a socket, a blob upload, a buffer in a test). */
  static async fromWritable(writable: IWritable, options: McapRecorderOptions = {}): Promise<McapRecorder> {
    return McapRecorder.#start(writable, options, () => Promise.resolve());
  }

  static async #start(writable: IWritable, options: McapRecorderOptions, onClose: () => Promise<void>) {
    const compression = options.compression ?? 'lz4';
    if (compression === 'zstd') {
      await loadZstd();
    }
    const compressChunk = chunkCompressor(compression);
    const writer = new McapWriter({
      writable,
      useChunks: true,
      chunkSize: options.chunkSize ?? 4 * 1024 * 1024,
      ...(compressChunk === undefined ? {} : { compressChunk }),
    });
    await writer.start({ profile: 'ros2', library: options.library ?? 'fleetloop-ros' });
    return new McapRecorder(writer, options, onClose);
  }

  /** Messages written so far. */
  get messageCount(): number {
    return this.#messageCount;
  }

  /** Topics with a channel so far, with their types. */
  topics(): { topic: string; type: string }[] {
    return [...this.#channels].map(([topic, { type }]) => ({ topic, type }));
  }

  /**
   * Appends a received sample: its bytes unchanged, publish time = its source timestamp.
   * Throws `ROS_UNKNOWN_TYPE` when the registry cannot give the schema for its type.
   */
  write(sample: RosSample, logTimeNs?: bigint): Promise<void> {
    return this.writeRaw(sample.topic, sample.type, sample.data, {
      ...(logTimeNs === undefined ? {} : { logTimeNs }),
      publishTimeNs: sample.sourceTimestampNs,
    });
  }

  /** Encodes a message object with the registry's codec and appends it. */
  writeMessage<T>(topic: string, type: string, message: T, options: McapWriteOptions = {}): Promise<void> {
    let data: Uint8Array;
    try {
      data = this.#registry.codec<T>(type).encode(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.writeRaw(topic, type, data, options);
  }

  /** Appends an already-encoded CDR payload. */
  writeRaw(topic: string, type: string, data: Uint8Array, options: McapWriteOptions = {}): Promise<void> {
    const logTime = options.logTimeNs ?? this.#now();
    const publishTime = options.publishTimeNs ?? logTime;
    return this.#enqueue(async () => {
      const channel = await this.#channel(topic, type);
      await this.#writer.addMessage({
        channelId: channel.id,
        sequence: channel.sequence++,
        logTime,
        publishTime,
        data,
      });
      this.#messageCount += 1;
    });
  }

  /** Adds a named metadata record (robot, episode id, policy digest, …). */
  addMetadata(name: string, metadata: Readonly<Record<string, string>>): Promise<void> {
    return this.#enqueue(() =>
      this.#writer.addMetadata({ name, metadata: new Map(Object.entries(metadata)) }),
    );
  }

  /** Writes the last chunk, the summary and the index, and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    const finish = this.#enqueue(() => this.#writer.end());
    this.#closed = true;
    try {
      await finish;
    } finally {
      await this.#onClose();
    }
  }

  async #channel(topic: string, type: string): Promise<{ id: number; type: string; sequence: number }> {
    const existing = this.#channels.get(topic);
    if (existing !== undefined) {
      if (existing.type !== normalizeTypeName(type)) {
        throw new RosError(
          'ROS_MCAP_INVALID',
          `Topic ${topic} is recorded as ${existing.type}; a message of type ${type} cannot share its channel.`,
        );
      }
      return existing;
    }
    validateTopicName(topic);
    const rosType = normalizeTypeName(type);
    let schemaId = this.#schemas.get(rosType);
    if (schemaId === undefined) {
      const text = this.#registry.definitionText(rosType);
      schemaId = await this.#writer.registerSchema({
        name: rosType,
        encoding: 'ros2msg',
        data: new TextEncoder().encode(text),
      });
      this.#schemas.set(rosType, schemaId);
    }
    const id = await this.#writer.registerChannel({
      topic,
      messageEncoding: 'cdr',
      schemaId,
      metadata: new Map(),
    });
    const channel = { id, type: rosType, sequence: 0 };
    this.#channels.set(topic, channel);
    return channel;
  }

  /** Serialises writer calls: `McapWriter` corrupts the file if calls overlap. */
  #enqueue(operation: () => Promise<void>): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new RosError('ROS_CLOSED', 'This MCAP recorder is closed; create a new one.'));
    }
    const run = this.#queue.then(async () => {
      if (this.#failure !== undefined) {
        throw new RosError(
          'ROS_MCAP_INVALID',
          'An earlier write to this MCAP recording failed; the file is incomplete.',
          {
            cause: this.#failure,
          },
        );
      }
      try {
        await operation();
      } catch (error) {
        // A rejected message (unknown type, bad name) fails only its own write; anything the
        // MCAP writer or the file threw leaves the recording unusable.
        if (!(error instanceof RosError)) {
          this.#failure = error;
        }
        throw error;
      }
    });
    // The chain only orders operations; each caller gets its own failure through `run`.
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
