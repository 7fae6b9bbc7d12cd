import { open } from 'node:fs/promises';
import { McapIndexedReader, McapStreamReader, type McapTypes } from '@mcap/core';
import { MessageDefinitionRegistry } from '../msg/MessageDefinitionRegistry.js';
import { RosError } from '../msg/RosError.js';
import { MCAP_DECOMPRESS_HANDLERS } from './chunkCompression.js';
import { McapFileReadable } from './McapFileReadable.js';

/** Options of {@link McapPlaybackReader.open}. */
export interface McapPlaybackOptions {
  /**
   * Registry the file's `ros2msg` schemas are added to, so every recorded type decodes (also the
   * robot's own). Default: a new registry with the ROS 2 Jazzy common interfaces.
   */
  readonly registry?: MessageDefinitionRegistry;
  /**
   * Read a file that has no index (the recorder was killed before `close()`) sequentially,
   * keeping every complete chunk, instead of failing. Default false.
   */
  readonly recover?: boolean;
}

/** Which messages {@link McapPlaybackReader.messages} yields. */
export interface McapMessageFilter {
  /** Only these topics. Default: all. */
  readonly topics?: readonly string[];
  /** Log time from (inclusive), ns. */
  readonly startNs?: bigint;
  /** Log time until (inclusive), ns. */
  readonly endNs?: bigint;
}

/** One recorded ROS 2 message. */
export interface McapRosMessage {
  readonly topic: string;
  /** ROS type name, `pkg/msg/Type`. */
  readonly type: string;
  readonly logTimeNs: bigint;
  readonly publishTimeNs: bigint;
  /** Per-channel sequence number as recorded. */
  readonly sequence: number;
  /** CDR bytes as recorded. */
  readonly data: Uint8Array;
  /** Decodes `data` with the registry; throws `RosDecodeError` naming the topic. */
  decode<T = unknown>(): T;
}

/** A channel of the recording. */
export interface McapTopicInfo {
  readonly topic: string;
  readonly type: string;
  /** From the summary statistics; `undefined` for a recovered file. */
  readonly messageCount: number | undefined;
}

interface Channel {
  readonly topic: string;
  readonly type: string;
}

type Source =
  | { readonly kind: 'indexed'; readonly reader: McapIndexedReader; readonly file: McapFileReadable }
  | {
      readonly kind: 'recovered';
      readonly messages: readonly McapTypes.Message[];
      readonly truncatedBytes: number;
    };

/**
 * Plays back a ROS 2 MCAP recording (from {@link McapRecorder}, `ros2 bag record -s mcap`, or
 * any `ros2` profile file with `cdr` messages and `ros2msg` schemas): messages in log-time order,
 * optionally filtered by topic and time, decoded through the registry.
 *
 * @example
 * const bag = await McapPlaybackReader.open('episode.mcap');
 * for await (const m of bag.messages({ topics: ['/scan'] })) use(m.decode<LaserScan>());
 * await bag.close();
 */
export class McapPlaybackReader {
  readonly path: string;
  readonly registry: MessageDefinitionRegistry;
  readonly #source: Source;
  readonly #channels: ReadonlyMap<number, Channel>;
  readonly #counts: ReadonlyMap<number, bigint> | undefined;

  private constructor(
    path: string,
    registry: MessageDefinitionRegistry,
    source: Source,
    channels: ReadonlyMap<number, Channel>,
    counts: ReadonlyMap<number, bigint> | undefined,
  ) {
    this.path = path;
    this.registry = registry;
    this.#source = source;
    this.#channels = channels;
    this.#counts = counts;
  }

  /**
   * Opens a recording. Throws `ROS_MCAP_INVALID` naming the file, its size and the reason when it
   * is truncated, corrupt or not a ROS 2 recording.
   */
  static async open(path: string, options: McapPlaybackOptions = {}): Promise<McapPlaybackReader> {
    const registry = options.registry ?? new MessageDefinitionRegistry();
    const file = await McapFileReadable.open(path);
    let reader: McapIndexedReader;
    try {
      reader = await McapIndexedReader.Initialize({
        readable: file,
        decompressHandlers: MCAP_DECOMPRESS_HANDLERS,
      });
    } catch (error) {
      const size = await file.size();
      await file.close();
      if (options.recover === true) {
        return McapPlaybackReader.#recover(path, registry);
      }
      throw new RosError(
        'ROS_MCAP_INVALID',
        `Cannot open MCAP file ${path} (${size} bytes): ${error instanceof Error ? error.message : String(error)}. ` +
          'A recording cut short (recorder stopped before close()) has no index: open it with { recover: true } to read its complete chunks.',
        { cause: error },
      );
    }
    try {
      const channels = McapPlaybackReader.#learn(
        path,
        registry,
        reader.schemasById,
        reader.channelsById,
        reader.header,
      );
      return new McapPlaybackReader(
        path,
        registry,
        { kind: 'indexed', reader, file },
        channels,
        reader.statistics?.channelMessageCounts,
      );
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  static async #recover(path: string, registry: MessageDefinitionRegistry): Promise<McapPlaybackReader> {
    const stream = new McapStreamReader({ decompressHandlers: MCAP_DECOMPRESS_HANDLERS });
    const schemas = new Map<number, McapTypes.Schema>();
    const channels = new Map<number, McapTypes.Channel>();
    const messages: McapTypes.Message[] = [];
    let header: McapTypes.Header | undefined;
    const handle = await open(path, 'r');
    try {
      const piece = new Uint8Array(1024 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(piece, 0, piece.byteLength, null);
        if (bytesRead === 0) {
          break;
        }
        stream.append(piece.slice(0, bytesRead));
        for (let record = stream.nextRecord(); record !== undefined; record = stream.nextRecord()) {
          switch (record.type) {
            case 'Header':
              header = record;
              break;
            case 'Schema':
              schemas.set(record.id, record);
              break;
            case 'Channel':
              channels.set(record.id, record);
              break;
            case 'Message':
              messages.push(record);
              break;
            default:
              break;
          }
        }
      }
    } catch (error) {
      throw new RosError(
        'ROS_MCAP_INVALID',
        `Cannot recover MCAP file ${path}: ${error instanceof Error ? error.message : String(error)}.`,
        { cause: error },
      );
    } finally {
      await handle.close();
    }
    if (header === undefined) {
      throw new RosError(
        'ROS_MCAP_INVALID',
        `Cannot recover MCAP file ${path}: it has no complete MCAP header.`,
      );
    }
    // Chunks of a live recording are written in time order, but messages inside overlap slightly.
    messages.sort((a, b) => (a.logTime < b.logTime ? -1 : a.logTime > b.logTime ? 1 : 0));
    const known = McapPlaybackReader.#learn(path, registry, schemas, channels, header);
    return new McapPlaybackReader(
      path,
      registry,
      { kind: 'recovered', messages, truncatedBytes: stream.bytesRemaining() },
      known,
      undefined,
    );
  }

  static #learn(
    path: string,
    registry: MessageDefinitionRegistry,
    schemas: ReadonlyMap<number, McapTypes.Schema>,
    channels: ReadonlyMap<number, McapTypes.Channel>,
    header: McapTypes.Header,
  ): Map<number, Channel> {
    if (header.profile !== 'ros2') {
      throw new RosError(
        'ROS_MCAP_INVALID',
        `MCAP file ${path} has profile ${JSON.stringify(header.profile)}, not "ros2": it is not a ROS 2 recording.`,
      );
    }
    const decoder = new TextDecoder();
    for (const schema of schemas.values()) {
      if (schema.encoding !== 'ros2msg') {
        throw new RosError(
          'ROS_MCAP_INVALID',
          `MCAP file ${path}: schema ${schema.name} is encoded as ${JSON.stringify(schema.encoding)}; only "ros2msg" is supported.`,
        );
      }
      registry.addDefinitionText(schema.name, decoder.decode(schema.data));
    }
    const result = new Map<number, Channel>();
    for (const channel of channels.values()) {
      const schema = schemas.get(channel.schemaId);
      if (channel.messageEncoding !== 'cdr' || schema === undefined) {
        throw new RosError(
          'ROS_MCAP_INVALID',
          `MCAP file ${path}: channel ${channel.topic} has message encoding ${JSON.stringify(channel.messageEncoding)}` +
            `${schema === undefined ? ' and no schema' : ''}; ROS 2 recordings use "cdr" with a ros2msg schema.`,
        );
      }
      result.set(channel.id, { topic: channel.topic, type: schema.name });
    }
    return result;
  }

  /** Bytes at the end of a recovered file that did not form a complete record (0 otherwise). */
  get truncatedBytes(): number {
    return this.#source.kind === 'recovered' ? this.#source.truncatedBytes : 0;
  }

  /** Every channel of the recording. */
  topics(): McapTopicInfo[] {
    return [...this.#channels].map(([id, channel]) => {
      const count = this.#counts?.get(id);
      return { ...channel, messageCount: count === undefined ? undefined : Number(count) };
    });
  }

  /** Messages in log-time order. */
  async *messages(filter: McapMessageFilter = {}): AsyncGenerator<McapRosMessage, void, void> {
    const wanted = filter.topics === undefined ? undefined : new Set(filter.topics);
    const records =
      this.#source.kind === 'indexed'
        ? this.#source.reader.readMessages({
            ...(filter.topics === undefined ? {} : { topics: filter.topics }),
            ...(filter.startNs === undefined ? {} : { startTime: filter.startNs }),
            ...(filter.endNs === undefined ? {} : { endTime: filter.endNs }),
          })
        : this.#source.messages;
    for await (const record of records) {
      const channel = this.#channels.get(record.channelId);
      if (channel === undefined) {
        throw new RosError(
          'ROS_MCAP_INVALID',
          `MCAP file ${this.path}: message on unknown channel ${record.channelId}.`,
        );
      }
      if (
        (wanted !== undefined && !wanted.has(channel.topic)) ||
        (filter.startNs !== undefined && record.logTime < filter.startNs) ||
        (filter.endNs !== undefined && record.logTime > filter.endNs)
      ) {
        continue;
      }
      yield this.#message(channel, record);
    }
  }

  async close(): Promise<void> {
    if (this.#source.kind === 'indexed') {
      await this.#source.file.close();
    }
  }

  #message(channel: Channel, record: McapTypes.Message): McapRosMessage {
    const registry = this.registry;
    return {
      topic: channel.topic,
      type: channel.type,
      logTimeNs: record.logTime,
      publishTimeNs: record.publishTime,
      sequence: record.sequence,
      data: record.data,
      decode<T = unknown>(): T {
        return registry.codec<T>(channel.type).decode(record.data, channel.topic);
      },
    };
  }
}
